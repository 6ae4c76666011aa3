// rollcall: the command-line client of rollcalld.

#include "client/cli/app.h"

int main(int argc, char** argv) { return rollcall::cli::RunCli(argc, argv); }
