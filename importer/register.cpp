// placeholder until the import command lands
#include "cli/commands.hpp"
namespace mlarc::cli { void register_import(CLI::App&, int&) {} }
