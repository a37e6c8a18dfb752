// placeholder until the index command lands
#include "cli/commands.hpp"
namespace mlarc::cli { void register_index(CLI::App&, int&) {} }
