// Shim for TorchSharp's libLibTorchSharp.so on systems whose libstdc++ predates GCC 13 (see docs/torchsharp-native.md).
//
// Objects compiled by GCC 13+ that use <iostream> no longer construct a std::ios_base::Init each; instead they reference
// std::ios_base_library_init() (GLIBCXX_3.4.32) so that they can only be linked with a libstdc++ that sets up std::cout & co.
// itself. Older libstdc++ has neither the symbol nor that behaviour. This library, preloaded RTLD_GLOBAL, supplies both:
// the symbol, for the reference, and one Init object, so the standard streams are set up before LibTorchSharp runs.
#include <ios>

namespace {
std::ios_base::Init standard_streams_initializer;
}

namespace std {
__attribute__((visibility("default"))) void ios_base_library_init() {}
}
