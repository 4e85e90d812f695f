//===- CompileDatabase.h - the files a run analyses -------------*- C++ -*-===//
//
// Which files to analyse, checked against the compile database before any
// analysis, so that a wrong path, a missing or a truncated database fails
// with its own exit code and one message rather than as a silent run without
// flags.
//
//===----------------------------------------------------------------------===//

#ifndef SENDSYNC_TOOLS_COMPILEDATABASE_H
#define SENDSYNC_TOOLS_COMPILEDATABASE_H

#include "Options.h"
#include <optional>
#include <string>
#include <vector>

namespace sendsync::tidy {

/// The absolute paths of the files to analyse, sorted, this shard's only:
/// those named, or every file of the database with -p and none named.
/// Returns an exit code (ExitUsage, ExitNoCompileDatabase,
/// ExitNotInCompileDatabase) when they cannot be found, having said why.
std::optional<int> resolveFiles(const Options &O,
                                std::vector<std::string> &Files);

} // namespace sendsync::tidy

#endif
