//===- TraitEngine.cpp - Send/Sync/ThreadSafe inference -------------------===//
//
// Builds the question graph (from annotations, configuration, the std model
// and the types' structure) and solves it. Its explanations are in
// Explain.cpp.
//
//===----------------------------------------------------------------------===//

#include "Analysis/TraitEngine.h"
#include "Analysis/ASTUtil.h"
#include "Analysis/Annotations.h"
#include "Analysis/Locksets.h"
#include "Analysis/StdModel.h"
#include "Analysis/TraitGraph.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringExtras.h"

using namespace clang;
using namespace llvm;

namespace sendsync {

StringRef traitName(Trait T) {
  switch (T) {
  case Trait::Send:
    return "Send";
  case Trait::Sync:
    return "Sync";
  case Trait::ThreadSafe:
    return "ThreadSafe";
  }
  llvm_unreachable("unknown trait");
}

void TraitEngine::Impl::expand(unsigned Id) {
  SmallVector<Edge, 8> Edges;
  Nodes[Id].Expanded = true;
  QualType T = Nodes[Id].Ty;
  Trait Tr = Nodes[Id].Tr;
  const Type *Ty = T.getTypePtr();

  if (Ty->isDependentType()) {
    setLocal(Id, Verdict::Unknown, Source::Dependent);
    return;
  }
  if (const RecordDecl *RD = Ty->getAsRecordDecl()) {
    expandRecord(Id, RD, Edges);
    Nodes[Id].Edges.assign(Edges.begin(), Edges.end());
    return;
  }
  if (const auto *RT = Ty->getAs<ReferenceType>()) {
    // A reference member or by-reference capture shares its referent: moving
    // it to another thread gives that thread access to the same object.
    QualType P = RT->getPointeeType();
    Trait Need = Tr;
    if (Tr == Trait::Send)
      Need = Trait::Sync;
    else if (Tr == Trait::ThreadSafe && P.isConstQualified())
      Need = Trait::Sync;
    setLocal(Id, Verdict::Yes, Source::Builtin);
    addEdge(Edges, P, Need, EdgeKind::Pointee);
    Nodes[Id].Edges.assign(Edges.begin(), Edges.end());
    return;
  }
  if (const auto *PT = Ty->getAs<PointerType>()) {
    QualType P = PT->getPointeeType();
    if (Tr == Trait::ThreadSafe) {
      setLocal(Id, Verdict::No, Source::Builtin,
               "a plain pointer written from two threads is a data race");
      return;
    }
    if (P->isFunctionType()) {
      setLocal(Id, Verdict::Yes, Source::Builtin);
      return;
    }
    setLocal(Id, Verdict::Yes, Source::Builtin);
    // A pointer to non-const may own its pointee or share it: the pointer
    // does not say which, so Send needs both. Sync is shallow, as const is.
    if (Tr == Trait::Send && !P.isConstQualified())
      addEdge(Edges, P, Trait::Send, EdgeKind::Pointee);
    addEdge(Edges, P, Trait::Sync, EdgeKind::Pointee);
    Nodes[Id].Edges.assign(Edges.begin(), Edges.end());
    return;
  }
  if (const ArrayType *AT = Ctx.getAsArrayType(T)) {
    QualType E = AT->getElementType();
    Trait Need = Tr;
    if (Tr == Trait::ThreadSafe && E.isConstQualified())
      Need = Trait::Sync;
    setLocal(Id, Verdict::Yes, Source::Builtin);
    addEdge(Edges, E, Need, EdgeKind::Element);
    Nodes[Id].Edges.assign(Edges.begin(), Edges.end());
    return;
  }
  if (Ty->isAtomicType() || Ty->isVoidType() || Ty->isFunctionType()) {
    setLocal(Id, Verdict::Yes, Source::Builtin);
    return;
  }
  // Scalars, enums, nullptr_t, member pointers, vectors, complex numbers:
  // plain values. Copying or sharing them read-only is fine; writing one
  // object from two threads is a race.
  if (Tr == Trait::ThreadSafe) {
    setLocal(Id, Verdict::No, Source::Builtin,
             "a plain '" + print(T) +
                 "' written from two threads is a data race");
    return;
  }
  setLocal(Id, Verdict::Yes, Source::Builtin);
}

void TraitEngine::Impl::expandRecord(unsigned Id, const RecordDecl *RD,
                                     SmallVectorImpl<Edge> &Edges) {
  const auto *CRD = dyn_cast<CXXRecordDecl>(RD);
  if (CRD && applyAnnotations(Id, CRD, Edges))
    return;
  if (applyConfig(Id, RD))
    return;
  if (CRD && inStd(CRD) && applyModel(Id, CRD, Edges))
    return;
  const RecordDecl *Def = RD->getDefinition();
  if (!Def) {
    setLocal(Id, Verdict::Unknown, Source::Incomplete, "",
             RD->getLocation());
    return;
  }
  Trait Tr = Nodes[Id].Tr;
  // The C library's synchronization objects (pthread_mutex_t is a union of
  // plain integers): used only through their functions.
  if (!Def->getIdentifier())
    if (const TypedefNameDecl *TD = Def->getTypedefNameForAnonDecl();
        TD && (TD->getName() == "pthread_mutex_t" ||
               TD->getName() == "pthread_rwlock_t" ||
               TD->getName() == "pthread_cond_t" ||
               TD->getName() == "pthread_barrier_t" ||
               TD->getName() == "sem_t" || TD->getName() == "mtx_t" ||
               TD->getName() == "cnd_t")) {
      setLocal(Id, Verdict::Yes, Source::Model, "", Def->getLocation());
      return;
    }
  setLocal(Id, Verdict::Yes, Source::Structural, "", Def->getLocation());
  const auto *CDef = dyn_cast<CXXRecordDecl>(Def);
  // Rule 4b: members the class's own member functions keep under its lock
  // count as guarded.
  const ClassDiscipline *Discipline = nullptr;
  if (Tr != Trait::Send && Disc && CDef && !CDef->isLambda())
    Discipline = Disc->discipline(CDef);
  if (Discipline)
    for (const auto &[F, Step] : Discipline->Breach)
      Breaches.try_emplace(F, Step);
  if (CDef) {
    for (const CXXBaseSpecifier &B : CDef->bases())
      addEdge(Edges, B.getType(), Tr, EdgeKind::Base,
              B.getType()->getAsCXXRecordDecl(), B.getBeginLoc());
  }
  // Closure types: name the captured variables, and treat a captured `this`
  // as the reference it is.
  llvm::DenseMap<const FieldDecl *, const ValueDecl *> CaptureOf;
  FieldDecl *ThisField = nullptr;
  if (CDef && CDef->isLambda()) {
    llvm::DenseMap<const ValueDecl *, FieldDecl *> Fields;
    CDef->getCaptureFields(Fields, ThisField);
    for (auto &[Var, Field] : Fields)
      CaptureOf[Field] = Var;
  }
  for (const FieldDecl *F : Def->fields()) {
    QualType FT = F->getType();
    EdgeKind K = EdgeKind::Field;
    const NamedDecl *D = F;
    if (auto It = CaptureOf.find(F); It != CaptureOf.end()) {
      K = EdgeKind::Capture;
      D = It->second;
    }
    if (F == ThisField) {
      K = EdgeKind::Capture;
      D = nullptr;
      if (const auto *PT = FT->getAs<PointerType>())
        FT = Ctx.getLValueReferenceType(PT->getPointeeType());
    }
    bool Guarded = F->hasAttr<GuardedByAttr>() ||
                   F->hasAttr<PtGuardedByAttr>() ||
                   (Discipline && Discipline->Guarded.count(F)) ||
                   isLockType(FT);
    Trait Need = Tr;
    switch (Tr) {
    case Trait::Send:
      break;
    case Trait::Sync:
      if (Guarded)
        continue; // -Wthread-safety checks every access holds the lock
      if (F->isMutable())
        Need = Trait::ThreadSafe;
      break;
    case Trait::ThreadSafe:
      if (Guarded)
        continue;
      if (FT.isConstQualified() && !F->isMutable())
        Need = Trait::Sync;
      break;
    }
    addEdge(Edges, FT, Need, K, D, F->getLocation());
  }
}

bool TraitEngine::Impl::applyAnnotations(unsigned Id, const CXXRecordDecl *RD,
                                         SmallVectorImpl<Edge> &Edges) {
  SmallVector<Annotation, 4> Anns = annotationsOf(RD);
  if (Anns.empty())
    return false;
  Trait Tr = Nodes[Id].Tr;
  auto Find = [&](std::initializer_list<AnnKind> Kinds) -> const Annotation * {
    for (AnnKind K : Kinds)
      for (const Annotation &A : Anns)
        if (A.Kind == K)
          return &A;
    return nullptr;
  };
  // Negative annotations win over positive ones on the same class, as an
  // explicit `impl !Send` would.
  const Annotation *A = nullptr;
  switch (Tr) {
  case Trait::Send:
    A = Find({AnnKind::NotSend, AnnKind::UnsafeSend, AnnKind::SendIf});
    break;
  case Trait::Sync:
    A = Find({AnnKind::NotSync, AnnKind::UnsafeSync, AnnKind::ThreadSafe,
              AnnKind::SyncIf, AnnKind::ThreadSafeIf});
    break;
  case Trait::ThreadSafe:
    A = Find({AnnKind::NotSync, AnnKind::ThreadSafe, AnnKind::ThreadSafeIf});
    break;
  }
  if (!A)
    return false;
  // Point at the macro the user wrote, not into annotations.h.
  SourceLocation Loc =
      Ctx.getSourceManager().getExpansionLoc(A->A->getLocation());
  switch (A->Kind) {
  case AnnKind::NotSend:
  case AnnKind::NotSync:
    setLocal(Id, Verdict::No, Source::Annotation, "", Loc);
    return true;
  case AnnKind::UnsafeSend:
  case AnnKind::UnsafeSync:
  case AnnKind::ThreadSafe:
    setLocal(Id, Verdict::Yes, Source::Annotation, "", Loc);
    return true;
  case AnnKind::SendIf:
  case AnnKind::SyncIf:
  case AnnKind::ThreadSafeIf:
    break;
  }

  // Conditional: the fact holds iff every bound holds.
  auto Fail = [&](const std::string &Msg) {
    setLocal(Id, Verdict::Unknown, Source::BadAnnotation, Msg, Loc);
    return true;
  };
  SmallVector<Bound, 4> Bounds;
  std::string Err = parseBounds(A->Bounds, Bounds);
  if (!Err.empty())
    return Fail("malformed sendsync bounds \"" + A->Bounds.str() +
                "\": " + Err);
  const auto *CTSD = dyn_cast<ClassTemplateSpecializationDecl>(RD);
  if (!CTSD)
    return Fail("sendsync bounds \"" + A->Bounds.str() +
                "\" are on a class that is not a template");
  const TemplateParameterList *Params = nullptr;
  const TemplateArgumentList *Args = nullptr;
  auto From = CTSD->getSpecializedTemplateOrPartial();
  if (auto *Partial = From.dyn_cast<ClassTemplatePartialSpecializationDecl *>()) {
    Params = Partial->getTemplateParameters();
    Args = &CTSD->getTemplateInstantiationArgs();
  } else {
    Params = cast<ClassTemplateDecl *>(From)->getTemplateParameters();
    Args = &CTSD->getTemplateArgs();
  }
  setLocal(Id, Verdict::Yes, Source::Annotation, "", Loc);
  for (const Bound &B : Bounds) {
    std::optional<unsigned> Index;
    for (unsigned I = 0; I < Params->size(); ++I)
      if (Params->getParam(I)->getName() == B.Param)
        Index = I;
    if (!Index || *Index >= Args->size())
      return Fail("sendsync bounds \"" + A->Bounds.str() + "\" name '" +
                  B.Param.str() + "', which is not a template parameter of '" +
                  RD->getNameAsString() + "'");
    const TemplateArgument &Arg = Args->get(*Index);
    auto AddType = [&](const TemplateArgument &TA) {
      if (TA.getKind() != TemplateArgument::Type)
        return false;
      addEdge(Edges, TA.getAsType(), B.Tr, EdgeKind::TemplateArg);
      return true;
    };
    bool Ok = true;
    if (Arg.getKind() == TemplateArgument::Pack) {
      for (const TemplateArgument &E : Arg.pack_elements())
        Ok &= AddType(E);
    } else {
      Ok = AddType(Arg);
    }
    if (!Ok)
      return Fail("sendsync bounds \"" + A->Bounds.str() + "\" name '" +
                  B.Param.str() + "', which is not a type parameter");
  }
  return true;
}

bool TraitEngine::Impl::applyConfig(unsigned Id, const RecordDecl *RD) {
  Trait Tr = Nodes[Id].Tr;
  const PatternList *Lists[2] = {nullptr, nullptr};
  Verdict Says[2] = {Verdict::No, Verdict::Yes};
  switch (Tr) {
  case Trait::Send:
    Lists[0] = &Cfg.NotSendTypes;
    Lists[1] = &Cfg.SendTypes;
    break;
  case Trait::Sync:
    Lists[0] = &Cfg.NotSyncTypes;
    Lists[1] = &Cfg.SyncTypes;
    break;
  case Trait::ThreadSafe:
    Lists[0] = &Cfg.NotSyncTypes;
    Lists[1] = &Cfg.ThreadSafeTypes;
    break;
  }
  bool AnyPatterns = !Lists[0]->Patterns.empty() ||
                     !Lists[1]->Patterns.empty() ||
                     (Tr == Trait::Sync && !Cfg.ThreadSafeTypes.Patterns.empty());
  if (!AnyPatterns)
    return false;
  std::string Name = RD->getQualifiedNameAsString();
  for (int I = 0; I < 2; ++I) {
    if (const NamePattern *P = Lists[I]->match(Name)) {
      setLocal(Id, Says[I], Source::Config,
               "option '" + Lists[I]->OptionName + "' lists '" +
                   P->text().str() + "'");
      return true;
    }
  }
  if (Tr == Trait::Sync)
    if (const NamePattern *P = Cfg.ThreadSafeTypes.match(Name)) {
      setLocal(Id, Verdict::Yes, Source::Config,
               "option 'ThreadSafeTypes' lists '" + P->text().str() + "'");
      return true;
    }
  return false;
}

bool TraitEngine::Impl::applyModel(unsigned Id, const CXXRecordDecl *RD,
                                   SmallVectorImpl<Edge> &Edges) {
  if (!RD->getIdentifier())
    return false;
  const ModelEntry *M = lookupModel(RD->getName());
  if (!M)
    return false;
  Trait Tr = Nodes[Id].Tr;
  Rule R = Tr == Trait::Send   ? M->Send
           : Tr == Trait::Sync ? M->Sync
                               : M->ThreadSafe;
  const char *Why = Tr == Trait::Send   ? M->WhyNotSend
                    : Tr == Trait::Sync ? M->WhyNotSync
                                        : M->WhyNotThreadSafe;
  SmallVector<QualType, 4> TypeArgs;
  if (const auto *CTSD = dyn_cast<ClassTemplateSpecializationDecl>(RD)) {
    for (const TemplateArgument &A : CTSD->getTemplateArgs().asArray()) {
      if (A.getKind() == TemplateArgument::Type)
        TypeArgs.push_back(A.getAsType());
      else if (A.getKind() == TemplateArgument::Pack)
        for (const TemplateArgument &E : A.pack_elements())
          if (E.getKind() == TemplateArgument::Type)
            TypeArgs.push_back(E.getAsType());
    }
  }
  // packaged_task<R(Args...)>: what crosses is the result.
  if (!TypeArgs.empty())
    if (const auto *FT = TypeArgs.front()->getAs<FunctionType>())
      TypeArgs.front() = FT->getReturnType();

  setLocal(Id, Verdict::Yes, Source::Model);
  switch (R) {
  case Rule::Yes:
    return true;
  case Rule::No:
    setLocal(Id, Verdict::No, Source::Model, Why ? Why : "");
    Nodes[Id].Fix = M->Fix;
    return true;
  case Rule::TypeErased:
    if (!Cfg.TypeErasedWrappersAreSend)
      setLocal(Id, Verdict::No, Source::Model,
               "its target type is erased, and option "
               "'TypeErasedWrappersAreSend' is false");
    return true;
  case Rule::AllArgs:
    for (QualType A : TypeArgs)
      addEdge(Edges, A, Tr, EdgeKind::TemplateArg);
    return true;
  case Rule::FirstArgSend:
  case Rule::FirstArgSync:
  case Rule::FirstArgSendSync:
    if (TypeArgs.empty())
      return true;
    if (R != Rule::FirstArgSync)
      addEdge(Edges, TypeArgs.front(), Trait::Send, EdgeKind::TemplateArg);
    if (R != Rule::FirstArgSend)
      addEdge(Edges, TypeArgs.front(), Trait::Sync, EdgeKind::TemplateArg);
    return true;
  }
  llvm_unreachable("unknown rule");
}

// Iterative Tarjan over the question graph. Within one strongly connected
// component every question depends on every other, and all edges are
// conjunctions, so the component's answer is the minimum of its members'
// local verdicts and of the answers of the components it reaches.
Verdict TraitEngine::Impl::evaluate(unsigned Root) {
  if (Nodes[Root].Done)
    return Nodes[Root].V;
  struct Frame {
    unsigned Id;
    unsigned NextEdge;
  };
  SmallVector<Frame, 32> Work;
  SmallVector<unsigned, 32> Stack;
  auto Visit = [&](unsigned Id) {
    if (!Nodes[Id].Expanded)
      expand(Id);
    Node &N = Nodes[Id];
    N.Index = N.Low = NextIndex++;
    N.OnStack = true;
    Stack.push_back(Id);
    Work.push_back({Id, 0});
  };
  Visit(Root);
  while (!Work.empty()) {
    Frame &F = Work.back();
    unsigned Id = F.Id;
    // A local No decides the node whatever its edges say; skip them.
    if (Nodes[Id].Local != Verdict::No && F.NextEdge < Nodes[Id].Edges.size()) {
      unsigned Child = Nodes[Id].Edges[F.NextEdge++].Child;
      Node &C = Nodes[Child];
      if (C.Done)
        continue;
      if (C.Index == ~0u) {
        Visit(Child);
        continue;
      }
      if (C.OnStack)
        Nodes[Id].Low = std::min(Nodes[Id].Low, C.Index);
      continue;
    }
    Work.pop_back();
    if (!Work.empty())
      Nodes[Work.back().Id].Low =
          std::min(Nodes[Work.back().Id].Low, Nodes[Id].Low);
    if (Nodes[Id].Low != Nodes[Id].Index)
      continue;
    // Id roots a component: everything above it on the stack.
    auto Begin = std::find(Stack.begin(), Stack.end(), Id);
    Verdict V = Verdict::Yes;
    for (auto It = Begin; It != Stack.end(); ++It) {
      Node &M = Nodes[*It];
      V = std::min(V, M.Local);
      if (M.Local == Verdict::No)
        continue;
      for (const Edge &E : M.Edges)
        if (Nodes[E.Child].Done)
          V = std::min(V, Nodes[E.Child].V);
    }
    for (auto It = Begin; It != Stack.end(); ++It) {
      Node &M = Nodes[*It];
      M.V = V;
      M.Done = true;
      M.OnStack = false;
    }
    Stack.erase(Begin, Stack.end());
  }
  assert(Nodes[Root].Done && "the root must be decided when the walk ends");
  return Nodes[Root].V;
}

//===----------------------------------------------------------------------===//
// Public interface.
//===----------------------------------------------------------------------===//

DisciplineSource::~DisciplineSource() = default;

TraitEngine::TraitEngine(ASTContext &Ctx, const Config &Cfg,
                         DisciplineSource *Discipline)
    : P(std::make_unique<Impl>(Ctx, Cfg, Discipline)) {}
TraitEngine::~TraitEngine() = default;

Verdict TraitEngine::query(QualType T, Trait Tr) {
  if (T.isNull())
    return Verdict::Unknown;
  return P->evaluate(P->node(T, Tr));
}

Judgement TraitEngine::judge(QualType T, Trait Tr) {
  Judgement J;
  J.V = query(T, Tr);
  std::vector<unsigned> Path;
  std::vector<const Edge *> Via;
  if (J.V == Verdict::Yes || !P->findPath(P->node(T, Tr), Path, Via))
    return J;
  const Node &Leaf = P->Nodes[Path.back()];
  J.LeafSource = Leaf.Src;
  J.LeafType = Leaf.Ty;
  J.LeafTrait = Leaf.Tr;
  if (Leaf.Fix)
    J.Fix = Leaf.Fix;
  return J;
}

std::vector<ReasonStep> TraitEngine::explain(QualType T, Trait Tr) {
  if (T.isNull())
    return {};
  return P->explain(P->node(T, Tr));
}

std::string TraitEngine::print(QualType T) const { return P->print(T); }

size_t TraitEngine::numNodes() const { return P->Nodes.size(); }

} // namespace sendsync
