//===- TraitEngine.h - Send/Sync/ThreadSafe inference -----------*- C++ -*-===//
//
// The one place that decides whether a type is Send, Sync or ThreadSafe, and
// why. Checks ask it; none re-derives a fact.
//
// Each question (type, trait) is a node. A node has a local verdict (from an
// annotation, the configuration, the standard-library model, or a builtin
// rule) and edges to the questions it depends on (members, bases, template
// arguments, pointees, annotation bounds); its answer is the conjunction of
// both. Recursive types make the graph cyclic; like Rust's auto traits the
// answer is the greatest fixed point (a type under evaluation is assumed to
// hold), computed per strongly connected component with an iterative Tarjan
// walk, so neither deep nesting nor long cycles recurse natively. Answers are
// memoized per canonical type for the life of the engine (one AST).
//
//===----------------------------------------------------------------------===//

#ifndef SENDSYNC_ANALYSIS_TRAITENGINE_H
#define SENDSYNC_ANALYSIS_TRAITENGINE_H

#include "Analysis/Config.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Type.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"
#include <string>
#include <vector>

namespace clang {
class CXXMethodDecl;
class CXXRecordDecl;
class FieldDecl;
class NamedDecl;
} // namespace clang

namespace sendsync {

enum class Trait : uint8_t { Send, Sync, ThreadSafe };
/// Ordered so that the conjunction of verdicts is their minimum.
enum class Verdict : uint8_t { No, Unknown, Yes };

llvm::StringRef traitName(Trait T);

/// Why a node has the local verdict it has.
enum class Source : uint8_t {
  Structural,  ///< decided by its members and bases alone
  Annotation,  ///< a sendsync annotation on the class
  Config,      ///< a configuration option
  Model,       ///< the built-in standard-library model
  Builtin,     ///< scalars, pointers, references, arrays
  Guarded,     ///< a GUARDED_BY / PT_GUARDED_BY member
  Incomplete,  ///< the type has no definition in this translation unit
  Dependent,   ///< an uninstantiated template type
  BadAnnotation, ///< conditional annotation whose bounds do not parse
};

/// How a node depends on another.
enum class EdgeKind : uint8_t {
  Base,        ///< a base class
  Field,       ///< a non-static data member
  Capture,     ///< a lambda capture (a member of the closure type)
  TemplateArg, ///< a template argument, by the model or an annotation bound
  Pointee,     ///< the pointee of a pointer or the referent of a reference
  Element,     ///< an array element
  Implied,     ///< another fact of the same type (ThreadSafe implies Sync)
};

/// One step of an explanation, ready to print as a note.
struct ReasonStep {
  clang::SourceLocation Loc; ///< invalid: print at the query's location
  std::string Message;
};

/// What the engine found about one question, for reporters.
struct Judgement {
  Verdict V = Verdict::Yes;
  /// The decisive leaf of the explanation (for fix suggestions).
  Source LeafSource = Source::Structural;
  clang::QualType LeafType;
  Trait LeafTrait = Trait::Send;
  /// A fix the standard-library model suggests for the leaf, or empty.
  std::string Fix;
};

/// A class's locking discipline (rule 4b of the model): which of its data
/// members its own member functions touch only under one of its locks, or,
/// for a class that coordinates plain members through atomics, which it
/// keeps to itself. Such members count as GUARDED_BY does.
struct ClassDiscipline {
  enum Kind : uint8_t { None, Locks, Atomics } K = None;
  llvm::SmallPtrSet<const clang::FieldDecl *, 8> Guarded;
  /// For each other data member: where the discipline breaks for it.
  llvm::DenseMap<const clang::FieldDecl *, ReasonStep> Breach;
  const clang::FieldDecl *Lock = nullptr; ///< a lock member, for messages
  /// A use of a data member by a non-private member function.
  struct Use {
    clang::SourceLocation Loc; ///< in the member function
    const clang::CXXMethodDecl *In = nullptr;
    bool Write = false;
    bool Element = false; ///< one element of a container member
    /// When made by a function it calls: that function, and the access.
    const clang::FunctionDecl *Via = nullptr;
    clang::SourceLocation ViaLoc;
  };
  /// For classes with a lock: per data member, a use under one of the
  /// class's locks and one without (writes preferred).
  llvm::DenseMap<const clang::FieldDecl *, Use> Locked, Unlocked;
};

/// Computes class disciplines (from the member functions' summaries).
class DisciplineSource {
public:
  virtual ~DisciplineSource();
  virtual const ClassDiscipline *
  discipline(const clang::CXXRecordDecl *RD) = 0;
};

class TraitEngine {
public:
  /// \p Discipline, if given, judges classes with lock or atomic members
  /// by how their member functions use them (it must not ask this engine).
  TraitEngine(clang::ASTContext &Ctx, const Config &Cfg,
              DisciplineSource *Discipline = nullptr);
  ~TraitEngine();

  /// Whether \p T has trait \p Tr. Qualifiers are ignored (callers decide
  /// what const means at their use).
  Verdict query(clang::QualType T, Trait Tr);

  /// The verdict plus the facts reporters need about its decisive leaf.
  Judgement judge(clang::QualType T, Trait Tr);

  /// The chain of reasons for a non-Yes verdict of (T, Tr), shortest first,
  /// with standard-library internals elided. Empty for a Yes.
  std::vector<ReasonStep> explain(clang::QualType T, Trait Tr);


  /// Prints \p T as messages show it.
  std::string print(clang::QualType T) const;

  /// Number of questions answered so far (for tests and benchmarks).
  size_t numNodes() const;

  class Impl;

private:
  std::unique_ptr<Impl> P;
};

} // namespace sendsync

#endif // SENDSYNC_ANALYSIS_TRAITENGINE_H
