// Fault points: named places on the write path where the kill tests
// (tests/integration/faults) make the process die or pause, so that a kill
// lands exactly before or after an SQLite or Xapian commit, or between the
// import and the index update of `mlarc import`.
//
// Driven by the environment variable MLARC_FAULT, read once:
//   MLARC_FAULT="POINT:N[:ACTION][,POINT:N[:ACTION]...]"
// On the Nth call of fault_point(POINT) in this process, ACTION happens:
// `kill` (the default) raises SIGKILL, `stop` raises SIGSTOP (the test then
// inspects the archive and sends SIGCONT). Without MLARC_FAULT a fault point
// costs one relaxed atomic load. Points in use:
//   sqlite-commit-before  just before COMMIT of a write transaction
//   sqlite-commit-after   just after a COMMIT succeeded
//   xapian-commit-after   after an intermediate Xapian commit of the indexer
//   import-done           `mlarc import` stored everything, the index update
//                         has not started (the writer lock is still held)
//   side-shard-built      an update with a side shard (index/indexer.cpp)
//                         committed both parts; the merge has not started
//   columns-write         after each window of the index's column file
//                         (index/columns.hpp), before its rename
// Kills in the middle of a commit come from the LD_PRELOAD shim of the tests
// (tests/integration/faults/shim/faultfs.cpp), which can SIGKILL at the Nth write.
#pragma once

#include <string_view>

namespace mlarc {

/// Counts a call of the fault point `name` and acts when MLARC_FAULT asks.
void fault_point(std::string_view name);

} // namespace mlarc
