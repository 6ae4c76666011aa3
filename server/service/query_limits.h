#ifndef ROLLCALL_SERVER_SERVICE_QUERY_LIMITS_H_
#define ROLLCALL_SERVER_SERVICE_QUERY_LIMITS_H_

#include "server/filter/statement_filter.h"

namespace rollcall {

// How large a query may be: the page size of List calls (a larger
// page_size is lowered to it) and the complexity of statement filters (a
// larger filter is INVALID_ARGUMENT naming the field).
struct QueryLimits {
  int max_page_size = 1000;
  FilterLimits filter;
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_SERVICE_QUERY_LIMITS_H_
