//===- Explain.cpp - the trait engine's reasons, in English ---------------===//
//
// Reads a decided question graph back as the shortest chain of reasons
// from the question asked to the node that decides it: fields, bases and
// captures named as written, rules stated once, library internals the user
// cannot act on skipped, long chains cut in the middle.
//
//===----------------------------------------------------------------------===//

#include "Analysis/ASTUtil.h"
#include "Analysis/TraitGraph.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include <deque>

using namespace clang;
using namespace llvm;

namespace sendsync {

static bool describedByRule(EdgeKind K) {
  return K == EdgeKind::TemplateArg || K == EdgeKind::Pointee ||
         K == EdgeKind::Element || K == EdgeKind::Implied;
}

std::string TraitEngine::Impl::leafWhy(const Node &N) const {
  if (!N.Why.empty())
    return N.Why;
  switch (N.Src) {
  case Source::Incomplete:
    return "it is incomplete in this translation unit";
  case Source::Dependent:
    return "it is a dependent type";
  default:
    return "";
  }
}

bool TraitEngine::Impl::isStdInternal(const Node &Parent,
                                      const Edge &E) const {
  if (E.Kind != EdgeKind::Field && E.Kind != EdgeKind::Base)
    return false;
  const RecordDecl *RD = Parent.Ty->getAsRecordDecl();
  return RD && inStd(RD) &&
         Ctx.getSourceManager().isInSystemHeader(E.Loc);
}

static std::string negated(Verdict V, Trait Tr) {
  return (V == Verdict::No ? "not " : "not known to be ") + traitName(Tr).str();
}

// Breadth-first search from Root for the nearest node that decides the
// verdict by itself; every node on the way has the same verdict. Path runs
// from Root to that node; Via[I] is the edge into Path[I] (null for Root).
bool TraitEngine::Impl::findPath(unsigned Root, std::vector<unsigned> &Path,
                                 std::vector<const Edge *> &Via) {
  Verdict Target = evaluate(Root);
  DenseMap<unsigned, std::pair<unsigned, const Edge *>> Parent;
  std::deque<unsigned> Queue{Root};
  Parent[Root] = {Root, nullptr};
  std::optional<unsigned> Leaf;
  while (!Queue.empty()) {
    unsigned Id = Queue.front();
    Queue.pop_front();
    const Node &N = Nodes[Id];
    if (N.Local == Target) {
      Leaf = Id;
      break;
    }
    for (const Edge &E : N.Edges) {
      if (!Nodes[E.Child].Done || Nodes[E.Child].V != Target)
        continue;
      if (Parent.try_emplace(E.Child, Id, &E).second)
        Queue.push_back(E.Child);
    }
  }
  if (!Leaf)
    return false;
  for (unsigned Id = *Leaf;;) {
    auto [P, E] = Parent[Id];
    Path.push_back(Id);
    Via.push_back(E);
    if (Id == Root)
      break;
    Id = P;
  }
  std::reverse(Path.begin(), Path.end());
  std::reverse(Via.begin(), Via.end());
  return true;
}

std::vector<ReasonStep> TraitEngine::Impl::explain(unsigned Root) {
  std::vector<ReasonStep> Steps;
  Verdict Target = evaluate(Root);
  std::vector<unsigned> Path;
  std::vector<const Edge *> Via;
  if (Target == Verdict::Yes || !findPath(Root, Path, Via))
    return Steps;

  const size_t K = Path.size() - 1;
  // A class template of a header (a library's Sender<T>) whose verdict
  // comes, through its internals, from one of its own template arguments
  // is summarized as the bound it amounts to ("'Sender<Chunk>' is Send
  // only if 'Chunk' is Send"): its private members are nothing the user
  // can act on. Collapse[I] is the index of that argument's node.
  const SourceManager &SM = Ctx.getSourceManager();
  // Asked at every step of a chain that can be thousands of steps long
  // (a deep nesting inside headers): each step's answer comes from two
  // indexes built in one pass, not from a scan of the rest of the chain.
  // ScanEnd[J]: the first step from J on that is written in the main file
  // (the collapse stops there); Positions: where each type is on the path.
  std::vector<size_t> ScanEnd(K + 2, K + 1);
  for (size_t J = K; J >= 1; --J)
    ScanEnd[J] = Via[J]->Loc.isValid() && SM.isInMainFile(Via[J]->Loc)
                     ? J
                     : ScanEnd[J + 1];
  DenseMap<const void *, SmallVector<size_t, 2>> Positions;
  for (size_t J = 1; J <= K; ++J)
    Positions[Nodes[Path[J]].Ty.getAsOpaquePtr()].push_back(J);
  auto CollapseFrom = [&](size_t I) -> size_t {
    const auto *CTSD = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
        Nodes[Path[I]].Ty->getAsRecordDecl());
    if (!CTSD || SM.isInMainFile(CTSD->getLocation()) || I + 1 > K)
      return 0;
    // The last step in (I, End) whose type is one of CTSD's arguments.
    size_t End = ScanEnd[I + 1], Found = 0;
    for (const TemplateArgument &A : CTSD->getTemplateArgs().asArray()) {
      if (A.getKind() != TemplateArgument::Type)
        continue;
      QualType T = A.getAsType()->getCanonicalTypeUnqualified();
      auto It = Positions.find(T.getAsOpaquePtr());
      if (It == Positions.end())
        continue;
      auto After = llvm::lower_bound(It->second, End);
      if (After != It->second.begin() && *(After - 1) > I)
        Found = std::max(Found, *(After - 1));
    }
    return Found >= I + 2 ? Found : 0;
  };
  auto Bound = [&](size_t I, size_t J) {
    return traitName(Nodes[Path[I]].Tr).str() + " only if '" +
           print(Nodes[Path[J]].Ty) + "' is " +
           traitName(Nodes[Path[J]].Tr).str();
  };
  bool LeafDescribed = false;
  bool DescribedNext = false; // Path[I]'s rule was stated by a clause
  size_t First = 1;
  if (size_t J = CollapseFrom(0)) {
    Steps.push_back({{}, "'" + print(Nodes[Path[0]].Ty) + "' is " +
                             Bound(0, J)});
    First = J + 1;
  }
  for (size_t I = First; I <= K; ++I) {
    const Edge &E = *Via[I];
    const Node &From = Nodes[Path[I - 1]];
    bool WasDescribed = DescribedNext;
    DescribedNext = false;
    if (describedByRule(E.Kind)) {
      if (!WasDescribed) {
        // A rule (model, annotation bounds, pointer) not yet stated.
        std::string Needs;
        for (const Edge &Sib : From.Edges)
          if (Nodes[Sib.Child].Ty == Nodes[E.Child].Ty) {
            if (!Needs.empty())
              Needs += " and ";
            Needs += traitName(Nodes[Sib.Child].Tr).str();
          }
        Steps.push_back({{}, "'" + print(From.Ty) + "' is " +
                                 traitName(From.Tr).str() + " only if '" +
                                 print(Nodes[E.Child].Ty) + "' is " + Needs});
      }
      continue;
    }
    if (isStdInternal(From, E))
      continue;
    std::string Head;
    switch (E.Kind) {
    case EdgeKind::Base:
      Head = "base class '" + print(E.Written) + "'";
      break;
    case EdgeKind::Capture:
      Head = E.D ? "captured variable '" + E.D->getNameAsString() +
                       "' has type '" + print(E.Written) + "'"
                 : "captured 'this' refers to '" +
                       print(E.Written.getNonReferenceType()) + "'";
      break;
    default: {
      const auto *FD = dyn_cast_or_null<FieldDecl>(E.D);
      Head = std::string(FD && FD->isMutable() ? "mutable " : "") +
             "field '" + (E.D ? E.D->getNameAsString() : std::string()) +
             "' has type '" + print(E.Written) + "'";
      break;
    }
    }
    const Node &To = Nodes[Path[I]];
    std::string Clause;
    size_t CollapseTo = I < K ? CollapseFrom(I) : 0;
    if (CollapseTo) {
      Clause = ", which is " + Bound(I, CollapseTo);
    } else if (I == K) {
      Clause = ", which is " + negated(Target, To.Tr);
      std::string Why = leafWhy(To);
      if (To.Src != Source::Annotation && To.Src != Source::Config &&
          To.Src != Source::Incomplete && !Why.empty()) {
        Clause += ": " + Why;
        LeafDescribed = true;
      }
    } else if (describedByRule(Via[I + 1]->Kind)) {
      std::string Needs;
      QualType Next = Nodes[Path[I + 1]].Ty;
      for (const Edge &Sib : To.Edges)
        if (Nodes[Sib.Child].Ty == Next) {
          if (!Needs.empty())
            Needs += " and ";
          Needs += traitName(Nodes[Sib.Child].Tr).str();
        }
      Clause = ", which is " + traitName(To.Tr).str() + " only if '" +
               print(Next) + "' is " + Needs;
      DescribedNext = true;
    } else {
      Clause = ", which is " + negated(Target, To.Tr);
    }
    Steps.push_back({E.Loc, Head + Clause});
    if (const auto *FD = dyn_cast_or_null<FieldDecl>(E.D))
      if (auto It = Breaches.find(FD); It != Breaches.end())
        Steps.push_back(It->second);
    if (CollapseTo)
      I = CollapseTo;
  }

  const Node &L = Nodes[Path[K]];
  if (!LeafDescribed)
    Steps.push_back(leafStep(L, Target));
  // A chain through a deep nesting or a long cycle can be thousands of steps:
  // keep where it starts and where it ends.
  constexpr size_t Head = 4, Tail = 4;
  if (Steps.size() > Head + Tail + 1) {
    size_t Elided = Steps.size() - Head - Tail;
    ReasonStep Gap{{}, "... " + std::to_string(Elided) +
                           " more steps through nested members ..."};
    Steps.erase(Steps.begin() + Head, Steps.end() - Tail);
    Steps.insert(Steps.begin() + Head, std::move(Gap));
  }
  return Steps;
}

ReasonStep TraitEngine::Impl::leafStep(const Node &L, Verdict Target) {
  std::string Name = "'" + print(L.Ty) + "'";
  switch (L.Src) {
  case Source::Annotation:
    return {L.SrcLoc, Name + " is marked " + negated(Target, L.Tr) + " here"};
  case Source::Config:
    return {{}, Name + " is " + negated(Target, L.Tr) + ": " + L.Why};
  case Source::Incomplete:
    return {L.SrcLoc, Name +
                          " is incomplete in this translation unit, so "
                          "whether it is " +
                          traitName(L.Tr).str() + " is unknown"};
  case Source::BadAnnotation:
    return {L.SrcLoc, L.Why};
  default: {
    std::string Why = leafWhy(L);
    return {{}, Name + " is " + negated(Target, L.Tr) +
                    (Why.empty() ? "" : ": " + Why)};
  }
  }
}

} // namespace sendsync
