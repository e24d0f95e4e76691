// facteur main(): hands the arguments to the CLI; the only catch-all outside an HTTP session.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "facteur/cli/cli.h"

int main(int argc, char** argv) {
    facteur::cli::prepare_process();
    try {
        std::ios::sync_with_stdio(false);
        const std::vector<std::string> args(argv + 1, argv + argc);
        const char* no_colour = std::getenv("NO_COLOR");
        const bool colour = isatty(STDOUT_FILENO) == 1 && (no_colour == nullptr || *no_colour == '\0');
        return facteur::cli::run(args, std::cout, std::cerr, colour);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "facteur: internal error: %s\n", e.what());
    } catch (...) {
        std::fprintf(stderr, "facteur: internal error\n");
    }
    return facteur::cli::kExitInternal;
}
