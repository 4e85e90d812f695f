//===- Config.h - sendsync configuration ------------------------*- C++ -*-===//
//
// The user's statements about types they cannot annotate and functions that
// cross threads, parsed from `;`-separated option strings. Parsing is strict:
// a malformed entry is an error that names the option, never a silent default.
//
//===----------------------------------------------------------------------===//

#ifndef SENDSYNC_ANALYSIS_CONFIG_H
#define SENDSYNC_ANALYSIS_CONFIG_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <string>
#include <optional>
#include <vector>

namespace sendsync {

/// A fully qualified name pattern; `*` matches any run of characters
/// (including `::`). A leading `::` is ignored.
class NamePattern {
public:
  static llvm::Expected<NamePattern> parse(llvm::StringRef Text);
  bool matches(llvm::StringRef QualifiedName) const;
  llvm::StringRef text() const { return Text; }
  /// Whether a function or type named \p Name (unqualified) may match: a
  /// cheap test before building a qualified name.
  bool mayMatchName(llvm::StringRef Name) const;

private:
  std::string Text;
  /// What follows the last `::` of Text, and whether it holds a `*`:
  /// mayMatchName is asked for every call of every function body.
  size_t LastStart = 0;
  bool LastWild = false;
};

/// A list of patterns, with the name of the option it came from so reasons
/// can cite it.
struct PatternList {
  std::string OptionName;
  std::vector<NamePattern> Patterns;
  /// Returns the first pattern matching \p QualifiedName, or null.
  const NamePattern *match(llvm::StringRef QualifiedName) const;
};

/// A function whose parameter \c ParamIndex (0-based, not counting `this`)
/// runs on, or is moved to, another thread; with \c ArgIndex, the callable
/// there is called with that argument, as pthread_create's start routine
/// with its `void *` (`name:callable:argument`).
struct CrossingFunction {
  NamePattern Name;
  unsigned ParamIndex = 0;
  std::optional<unsigned> ArgIndex;
  /// ParallelFunctions written without an index: the callable is the
  /// argument that is one (a lambda, a function object, a function).
  bool AnyCallable = false;
};

struct Config {
  PatternList NotSendTypes{"NotSendTypes", {}};
  PatternList NotSyncTypes{"NotSyncTypes", {}};
  PatternList SendTypes{"SendTypes", {}};
  PatternList SyncTypes{"SyncTypes", {}};
  PatternList ThreadSafeTypes{"ThreadSafeTypes", {}};
  std::vector<CrossingFunction> CrossingFunctions;
  std::vector<CrossingFunction> ScopedCrossingFunctions;
  /// Functions whose callable many threads run at once, all finished when
  /// the call returns (tbb::parallel_for): `name` or `name:index`.
  std::vector<CrossingFunction> ParallelFunctions;
  /// Functions that, called on an executor, wait for every task it was
  /// given (as SENDSYNC_JOINS says): `BS::thread_pool::wait`.
  PatternList JoinFunctions{"JoinFunctions", {}};
  /// Whether classes that coordinate plain members through atomics are
  /// judged by locksets like any other (off: taken as meant to be
  /// thread-safe, see docs/model.md).
  bool AuditLockFreeClasses = false;
  /// Whether std::function, std::move_only_function and std::any are assumed
  /// Send. Their target is erased, so nothing better is known.
  bool TypeErasedWrappersAreSend = true;
  /// Whether every coroutine may resume on another thread after any of its
  /// suspension points, for code whose executors the unit cannot see.
  bool AssumeCoroutinesResumeElsewhere = false;
  /// sendsync-send: report values whose type is incomplete here.
  bool ReportIncompleteTypes = false;
};

/// Parses a `;`-separated list of name patterns for option \p OptionName.
llvm::Expected<PatternList> parsePatternList(llvm::StringRef OptionName,
                                             llvm::StringRef Value);

/// Parses `name:index;name:index` for option \p OptionName.
llvm::Expected<std::vector<CrossingFunction>>
parseCrossingFunctions(llvm::StringRef OptionName, llvm::StringRef Value);

/// Parses `name;name:index` for ParallelFunctions: an entry without an
/// index takes the call's callable argument, wherever it is.
llvm::Expected<std::vector<CrossingFunction>>
parseParallelFunctions(llvm::StringRef OptionName, llvm::StringRef Value);

/// The ParallelFunctions of a configuration that does not set the option:
/// oneTBB's loops and reductions.
extern const char DefaultParallelFunctions[];

/// Parses `true`/`false` (also `1`/`0`) for option \p OptionName.
llvm::Expected<bool> parseBool(llvm::StringRef OptionName,
                               llvm::StringRef Value);

/// One option of the sendsync checks: the one table both the checks
/// (SendSyncCheck reads every entry into its Config) and sendsync-tidy's
/// configuration check (checkOptionValue) go through, so an option added
/// here is read, stored and checked alike.
struct OptionSpec {
  /// As the checks read it, without a check's prefix: `NotSendTypes`.
  llvm::StringRef Name;
  /// The value of a configuration that does not set it.
  llvm::StringRef Default;
  /// Parses \p Value into its member of \p Into; errors name the option
  /// \p Spelled, as it was written (`sendsync-send.X` or `X`).
  llvm::Error (*Read)(Config &Into, llvm::StringRef Spelled,
                      llvm::StringRef Value);
  /// Whether every sendsync check stores (and so declares) it; one that
  /// only sendsync-send uses is stored by that check alone.
  bool EveryCheck = true;
};

/// Every sendsync option, in the order the checks read (and report) them.
llvm::ArrayRef<OptionSpec> optionSpecs();

/// Checks \p Value of the sendsync option \p Name (as the checks read it,
/// without a check's prefix: `NotSendTypes`) with the reader the checks use,
/// so that a configuration can be checked before any check runs; errors
/// name the option \p Spelled, as it was written (`sendsync-send.X`).
/// Success for a name that is no sendsync option.
llvm::Error checkOptionValue(llvm::StringRef Name, llvm::StringRef Spelled,
                             llvm::StringRef Value);

} // namespace sendsync

#endif // SENDSYNC_ANALYSIS_CONFIG_H
