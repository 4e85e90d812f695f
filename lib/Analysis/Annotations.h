//===- Annotations.h - the reader of sendsync's attributes ------*- C++ -*-===//
//
// The one reader of the attributes include/sendsync/annotations.h writes
// (`[[clang::annotate("sendsync::...")]]`): on classes (not_send, send_if
// with its bounds, ...), on functions (joins) and on parameters
// (crosses_thread). Declarations found here are looked up on every
// redeclaration and on the template an instantiation comes from.
//
//===----------------------------------------------------------------------===//

#ifndef SENDSYNC_ANALYSIS_ANNOTATIONS_H
#define SENDSYNC_ANALYSIS_ANNOTATIONS_H

#include "Analysis/TraitEngine.h"
#include "llvm/ADT/SmallVector.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>
#include <vector>

namespace clang {
class AnnotateAttr;
class Decl;
class SourceManager;
class CXXRecordDecl;
class FunctionDecl;
class ParmVarDecl;
} // namespace clang

namespace sendsync {

/// An annotation on a class.
enum class AnnKind : uint8_t {
  NotSend,
  NotSync,
  UnsafeSend,
  UnsafeSync,
  ThreadSafe,
  SendIf,
  SyncIf,
  ThreadSafeIf,
};

struct Annotation {
  AnnKind Kind;
  const clang::AnnotateAttr *A;
  llvm::StringRef Bounds; ///< for the conditional forms
};

/// The annotations that apply to \p RD: its own redeclarations', and for a
/// template specialization those of the template it was instantiated from.
llvm::SmallVector<Annotation, 4> annotationsOf(const clang::CXXRecordDecl *RD);

/// One clause of a conditional annotation's bounds: "T: Send".
struct Bound {
  llvm::StringRef Param;
  Trait Tr;
};

/// Parses bounds ("T: Send + Sync, U: Send") into \p Out; returns an error
/// message, or the empty string.
std::string parseBounds(llvm::StringRef Text, llvm::SmallVectorImpl<Bound> &Out);

/// Whether \p FD, a redeclaration, or the template or member it was
/// instantiated from is annotated SENDSYNC_JOINS.
bool isAnnotatedJoin(const clang::FunctionDecl *FD);

/// Whether awaiter class \p RD (or the template or member class it was
/// instantiated from) is annotated SENDSYNC_RESUMES_ELSEWHERE.
bool resumesElsewhere(const clang::CXXRecordDecl *RD);

enum class CrossingAnnotation : uint8_t { None, Crosses, Scoped, Concurrent };
/// SENDSYNC_CROSSES_THREAD[_SCOPED] on \p P.
CrossingAnnotation crossingAnnotation(const clang::ParmVarDecl *P);

/// Whether \p D carries any sendsync annotation.
bool hasSendSyncAnnotation(const clang::Decl *D);

/// A sendsync annotation written where it means nothing, or wrongly.
struct AnnotationMisuse {
  clang::SourceLocation Loc; ///< the annotation, as the user spelled it
  std::string Message;
};

/// What is wrong with the sendsync annotations written on \p D: one on the
/// wrong kind of entity (a class annotation on a function, a variable, a
/// field, an enum; SENDSYNC_CROSSES_THREAD off a parameter; SENDSYNC_JOINS
/// off a function), a crossing parameter whose type carries nothing across
/// (a number), a name sendsync does not know, malformed bounds or bounds
/// naming no template parameter, and contradictory annotations on one class
/// (SENDSYNC_NOT_SEND with SENDSYNC_UNSAFE_SEND). Empty when all is well.
std::vector<AnnotationMisuse> checkAnnotations(const clang::Decl *D,
                                               const clang::SourceManager &SM);

} // namespace sendsync

#endif // SENDSYNC_ANALYSIS_ANNOTATIONS_H
