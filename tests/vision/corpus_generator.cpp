// Writes the vision corpus (tests/vision/corpus.cpp) under the directory given: run by ctest into
// the build tree before the corpus runner and the vision benchmarks.
#include "corpus.h"

#include <cstdio>
#include <exception>

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s OUTPUT-DIR\n", argv[0]);
        return 2;
    }
    try {
        const int written = retour::vision::corpus::generate(argv[1]);
        std::printf("vision corpus: %d images in %zu sets under %s\n", written,
                    retour::vision::corpus::setNames().size(), argv[1]);
        return written > 0 ? 0 : 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "vision corpus: %s\n", e.what());
        return 1;
    }
}
