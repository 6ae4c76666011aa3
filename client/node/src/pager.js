// Pages through a List* RPC: iterating a Pager yields every item of every
// page, fetching the next page only when the previous one is consumed.

export class Pager {
  // fetchPage(pageToken) resolves to a response with `itemsField` and
  // nextPageToken; it is called once per page, in order.
  constructor(fetchPage, itemsField, firstPageToken = '') {
    this.fetchPage = fetchPage;
    this.itemsField = itemsField;
    this.firstPageToken = firstPageToken;
  }

  // Yields each response (page) in turn, ending after the page whose
  // nextPageToken is empty.
  async *pages() {
    let token = this.firstPageToken;
    do {
      const page = await this.fetchPage(token);
      yield page;
      token = page.nextPageToken;
    } while (token);
  }

  async *[Symbol.asyncIterator]() {
    for await (const page of this.pages()) yield* page[this.itemsField];
  }

  // Every item of every page, in order.
  async toArray() {
    const items = [];
    for await (const item of this) items.push(item);
    return items;
  }
}
