// placeholder until the search commands land
#include "cli/commands.hpp"
namespace mlarc::cli { void register_search(CLI::App&, int&) {} }
