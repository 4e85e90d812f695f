//===- StdModel.h - the standard library's Send/Sync facts ------*- C++ -*-===//
//
// The built-in model of the standard library (model.md section 2): for each
// std class template, how it decides Send, Sync and ThreadSafe, why it says
// no, and the fix to suggest. The trait engine applies it to classes
// declared in namespace std; nothing else reads it.
//
//===----------------------------------------------------------------------===//

#ifndef SENDSYNC_ANALYSIS_STDMODEL_H
#define SENDSYNC_ANALYSIS_STDMODEL_H

#include "llvm/ADT/StringRef.h"
#include <cstdint>

namespace sendsync {

/// How a model entry decides one trait.
enum class Rule : uint8_t {
  Yes,
  No,
  AllArgs,          ///< every type argument has the same trait
  FirstArgSend,     ///< Send(first argument)
  FirstArgSync,     ///< Sync(first argument)
  FirstArgSendSync, ///< Send and Sync of the first argument
  TypeErased,       ///< Yes unless TypeErasedWrappersAreSend is false
};

struct ModelEntry {
  Rule Send, Sync, ThreadSafe;
  /// Why the entry says No, per trait (only read for a No).
  const char *WhyNotSend, *WhyNotSync, *WhyNotThreadSafe;
  /// What to do instead, where one fix is clear.
  const char *Fix = nullptr;
};

/// The entry for std's class (template) named \p Name, or null.
const ModelEntry *lookupModel(llvm::StringRef Name);

} // namespace sendsync

#endif // SENDSYNC_ANALYSIS_STDMODEL_H
