//===- TraitGraph.h - the trait engine's question graph ---------*- C++ -*-===//
//
// Private to the trait engine (TraitEngine.cpp builds and solves the graph,
// Explain.cpp reads it back as reasons): a node per (type, trait) question,
// edges to the questions it depends on.
//
//===----------------------------------------------------------------------===//

#ifndef SENDSYNC_ANALYSIS_TRAITGRAPH_H
#define SENDSYNC_ANALYSIS_TRAITGRAPH_H

#include "Analysis/TraitEngine.h"
#include "clang/AST/PrettyPrinter.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"
#include <string>
#include <vector>

namespace clang {
class AnnotateAttr;
class CXXRecordDecl;
class FieldDecl;
class RecordDecl;
} // namespace clang

namespace sendsync {

struct Edge {
  unsigned Child;
  EdgeKind Kind;
  const clang::NamedDecl *D; ///< field, base class or captured variable
  clang::SourceLocation Loc;
  clang::QualType Written; ///< the type as written at D, for messages
};

struct Node {
  clang::QualType Ty; ///< canonical, unqualified
  Trait Tr;
  Verdict Local = Verdict::Yes;
  Source Src = Source::Structural;
  clang::SourceLocation SrcLoc; ///< annotation or declaration location
  std::string Why;       ///< model/builtin/config reason for a local No
  const char *Fix = nullptr; ///< the model's suggested fix, if any
  llvm::SmallVector<Edge, 2> Edges;
  Verdict V = Verdict::Yes;
  bool Expanded = false;
  bool Done = false;
  bool OnStack = false;
  unsigned Index = ~0u;
  unsigned Low = 0;
};

class TraitEngine::Impl {
public:
  Impl(clang::ASTContext &Ctx, const Config &Cfg, DisciplineSource *Disc)
      : Ctx(Ctx), Cfg(Cfg), Disc(Disc) {
    Policy = clang::PrintingPolicy(Ctx.getLangOpts());
    Policy.SuppressTagKeyword = true;
    Policy.SuppressUnwrittenScope = true;
    Policy.Bool = Ctx.getLangOpts().CPlusPlus;
    // '(lambda)', not '(lambda at /abs/path:3:5)': notes point at the lambda.
    Policy.AnonymousTagLocations = false;
  }

  clang::ASTContext &Ctx;
  const Config &Cfg;
  DisciplineSource *Disc;
  /// Where a class's discipline breaks for a member, for explanations.
  llvm::DenseMap<const clang::FieldDecl *, ReasonStep> Breaches;
  clang::PrintingPolicy Policy{clang::LangOptions()};
  std::vector<Node> Nodes;
  llvm::DenseMap<std::pair<const clang::Type *, unsigned>, unsigned> Ids;
  unsigned NextIndex = 0;

  static clang::QualType key(clang::QualType T) {
    return T.getCanonicalType().getUnqualifiedType();
  }

  unsigned node(clang::QualType T, Trait Tr) {
    clang::QualType K = key(T);
    auto [It, Inserted] =
        Ids.try_emplace({K.getTypePtr(), unsigned(Tr)}, Nodes.size());
    if (Inserted) {
      Nodes.emplace_back();
      Nodes.back().Ty = K;
      Nodes.back().Tr = Tr;
    }
    return It->second;
  }

  // Messages name canonical types: the sugar a value's type carries is
  // mostly template machinery (`typename remove_reference<T&>::type`), which
  // says less than the type itself.
  // A name longer than MaxTypeName (deep template machinery) keeps its
  // head, which says what the type is, and its tail, which closes it.
  std::string print(clang::QualType T) const {
    std::string S =
        T.getCanonicalType().getUnqualifiedType().getAsString(Policy);
    constexpr size_t MaxTypeName = 200, Head = 120, Tail = 60;
    if (S.size() > MaxTypeName)
      S = S.substr(0, Head) + " ... " + S.substr(S.size() - Tail);
    return S;
  }

  Verdict evaluate(unsigned Root);
  void expand(unsigned Id);
  void expandRecord(unsigned Id, const clang::RecordDecl *RD,
                    llvm::SmallVectorImpl<Edge> &Edges);
  bool applyAnnotations(unsigned Id, const clang::CXXRecordDecl *RD,
                        llvm::SmallVectorImpl<Edge> &Edges);
  bool applyConfig(unsigned Id, const clang::RecordDecl *RD);
  bool applyModel(unsigned Id, const clang::CXXRecordDecl *RD,
                  llvm::SmallVectorImpl<Edge> &Edges);
  void setLocal(unsigned Id, Verdict V, Source S, std::string Why = "",
                clang::SourceLocation Loc = {}) {
    Node &N = Nodes[Id];
    N.Local = V;
    N.Src = S;
    N.Why = std::move(Why);
    N.SrcLoc = Loc;
  }
  void addEdge(llvm::SmallVectorImpl<Edge> &Edges, clang::QualType T, Trait Tr,
               EdgeKind K, const clang::NamedDecl *D = nullptr,
               clang::SourceLocation Loc = {}) {
    Edges.push_back({node(T, Tr), K, D, Loc, T});
  }

  bool findPath(unsigned Root, std::vector<unsigned> &Path,
                std::vector<const Edge *> &Via);
  std::vector<ReasonStep> explain(unsigned Root);
  ReasonStep leafStep(const Node &L, Verdict Target);
  std::string leafWhy(const Node &N) const;
  bool isStdInternal(const Node &Parent, const Edge &E) const;
};

} // namespace sendsync

#endif // SENDSYNC_ANALYSIS_TRAITGRAPH_H
