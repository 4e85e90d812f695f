//===- Crossings.cpp - where values cross threads -------------------------===//

#include "Analysis/Crossings.h"
#include "Analysis/ASTUtil.h"
#include "Analysis/Annotations.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;
using namespace llvm;

namespace sendsync {

bool isJoinFunction(const FunctionDecl *FD, const Config &Cfg) {
  if (!FD)
    return false;
  if (isAnnotatedJoin(FD))
    return true;
  return !Cfg.JoinFunctions.Patterns.empty() &&
         Cfg.JoinFunctions.match(FD->getQualifiedNameAsString());
}

/// Parameter attributes live on the template pattern; an instantiation's
/// parameters (a pack expanded into several) map back to the pattern's.
static const ParmVarDecl *patternParam(const FunctionDecl *FD, unsigned I) {
  const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern();
  if (!Pattern || Pattern == FD)
    return I < FD->getNumParams() ? FD->getParamDecl(I) : nullptr;
  // Walk the pattern's parameters, expanding packs by the instantiation's
  // arity, to find which pattern parameter instantiation parameter I is.
  unsigned Inst = 0;
  for (const ParmVarDecl *PP : Pattern->parameters()) {
    unsigned Width = 1;
    if (PP->isParameterPack()) {
      unsigned Fixed = Pattern->getNumParams() - 1;
      Width = FD->getNumParams() >= Fixed ? FD->getNumParams() - Fixed : 0;
    }
    if (I < Inst + Width)
      return PP;
    Inst += Width;
  }
  return nullptr;
}

static bool isThreadClass(QualType T) {
  const auto *RD = T.isNull() ? nullptr : T->getAsCXXRecordDecl();
  return RD && (isStdNamed(RD, {"thread", "jthread"}));
}

/// The class of the object a member call is made on, if any.
static QualType CE_ObjectType(const Expr *E) {
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
    if (const Expr *Obj = MC->getImplicitObjectArgument())
      return Obj->getType()->isPointerType() ? Obj->getType()->getPointeeType()
                                             : Obj->getType();
  return {};
}

/// Whether \p FD builds a std::thread or std::jthread from its arguments:
/// emplace_back/emplace_front/emplace on a standard container (or optional)
/// of threads, or make_unique/make_shared of a thread.
static bool isThreadEmplacement(const FunctionDecl *FD, QualType Object) {
  if (!FD->getIdentifier())
    return false;
  StringRef Name = FD->getName();
  if (Name == "make_unique" || Name == "make_shared") {
    if (!inStd(FD))
      return false;
    const TemplateArgumentList *TA = FD->getTemplateSpecializationArgs();
    return TA && TA->size() >= 1 &&
           TA->get(0).getKind() == TemplateArgument::Type &&
           isThreadClass(TA->get(0).getAsType());
  }
  if (Name != "emplace_back" && Name != "emplace_front" && Name != "emplace")
    return false;
  const auto *CTSD = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      Object.isNull() ? nullptr : Object->getAsCXXRecordDecl());
  if (!CTSD || !inStd(CTSD))
    return false;
  const TemplateArgumentList &TA = CTSD->getTemplateArgs();
  return TA.size() >= 1 && TA.get(0).getKind() == TemplateArgument::Type &&
         isThreadClass(TA.get(0).getAsType());
}

bool isCrossingFunction(const FunctionDecl *FD) {
  for (unsigned I = 0; I < FD->getNumParams(); ++I)
    if (const ParmVarDecl *P = patternParam(FD, I); P && crossingAnnotation(P) != CrossingAnnotation::None)
      return true;
  if (const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern())
    for (const ParmVarDecl *P : Pattern->parameters())
      if (crossingAnnotation(P) != CrossingAnnotation::None)
        return true;
  return false;
}

static void addValue(Crossing &C, ArrayRef<const Expr *> Args, unsigned I,
                     bool IsCallable, const ParmVarDecl *Param = nullptr) {
  if (I >= Args.size() || isa<CXXDefaultArgExpr>(Args[I]))
    return;
  C.Values.push_back({Args[I], I + 1, IsCallable, Param});
}

PolicyKind executionPolicy(QualType T) {
  const auto *RD = T.isNull() ? nullptr
                              : T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD || !RD->getIdentifier())
    return PolicyKind::None;
  // By name, in whatever namespace: libstdc++'s __pstl::execution, libc++'s
  // std::__1::execution and oneDPL's oneapi::dpl::execution spell the
  // policies alike.
  StringRef Name = RD->getName();
  if (Name == "parallel_policy")
    return PolicyKind::Parallel;
  if (Name == "parallel_unsequenced_policy")
    return PolicyKind::ParallelUnsequenced;
  return PolicyKind::None;
}

/// Whether an argument of type \p T can be called: a closure, a class with
/// an operator(), a function or a pointer to one. Iterators, ranges,
/// partitioners and initial values cannot.
static bool isCallableType(QualType T) {
  T = T.getNonReferenceType();
  if (T->isFunctionType() || T->isFunctionPointerType())
    return true;
  const auto *RD = T->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition())
    return false;
  if (RD->isLambda())
    return true;
  DeclarationName Call =
      RD->getASTContext().DeclarationNames.getCXXOperatorName(OO_Call);
  return !RD->lookup(Call).empty();
}

/// How much a callable argument has to say: a lambda with captures or a
/// function object with members (what its runs share) before one without
/// (std::plus<>, a captureless reduction).
static bool carriesState(const Expr *Arg) {
  if (const LambdaExpr *L = lambdaOf(Arg))
    return L->capture_size() != 0;
  const auto *RD = Arg->getType().getNonReferenceType()->getAsCXXRecordDecl();
  return RD && RD->hasDefinition() && !RD->field_empty();
}

/// Fills a parallel crossing's one value: among the callable arguments from
/// \p First, the first that carries state, else the first. A reduction's
/// identity and combiner are seldom where the shared writes are.
static bool addParallelCallable(Crossing &C, ArrayRef<const Expr *> Args,
                                unsigned First) {
  std::optional<unsigned> Pick;
  for (unsigned I = First; I < Args.size(); ++I) {
    if (isa<CXXDefaultArgExpr>(Args[I]) || !isCallableType(Args[I]->getType()))
      continue;
    if (!Pick || (!carriesState(Args[*Pick]) && carriesState(Args[I])))
      Pick = I;
  }
  if (!Pick)
    return false;
  addValue(C, Args, *Pick, /*IsCallable=*/true);
  return true;
}

/// The name a call spells its callee by, where a using-declaration brings
/// it in (`tbb::parallel_for` for tbb::detail::d1::parallel_for).
static std::string spelledName(const Expr *E) {
  const auto *Call = dyn_cast<CallExpr>(E);
  const auto *DRE = Call ? dyn_cast<DeclRefExpr>(
                               Call->getCallee()->IgnoreParenImpCasts())
                         : nullptr;
  if (!DRE || DRE->getFoundDecl() == DRE->getDecl())
    return {};
  return DRE->getFoundDecl()->getQualifiedNameAsString();
}

std::optional<Crossing> classifyCrossing(const Expr *E, const Config &Cfg) {
  const FunctionDecl *FD = nullptr;
  SmallVector<const Expr *, 8> Args;
  // For a member operator call, argument 0 is the object, not a parameter.
  unsigned ParamOffset = 0;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
    FD = CE->getConstructor();
    Args.append(CE->arg_begin(), CE->arg_end());
  } else if (const auto *Call = dyn_cast<CallExpr>(E)) {
    FD = Call->getDirectCallee();
    Args.append(Call->arg_begin(), Call->arg_end());
    if (isa<CXXOperatorCallExpr>(Call) && FD && isa<CXXMethodDecl>(FD) &&
        !cast<CXXMethodDecl>(FD)->isStatic())
      ParamOffset = 1;
  }
  if (!FD)
    return std::nullopt;

  Crossing C{E, FD, CrossingKind::Annotated, false, {}};
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD)) {
    const CXXRecordDecl *RD = Ctor->getParent();
    if ((isStdNamed(RD, {"thread", "jthread"})) &&
        !Ctor->isCopyOrMoveConstructor() && !Args.empty()) {
      C.Kind = CrossingKind::StdThread;
      for (unsigned I = 0; I < Args.size(); ++I)
        addValue(C, Args, I, I == 0);
      return C;
    }
  }
  // A thread built inside the standard library on the user's behalf:
  // threads.emplace_back(f, args...), std::make_unique<std::thread>(f, ...).
  if (isThreadEmplacement(FD, CE_ObjectType(E)) && !Args.empty()) {
    C.Kind = CrossingKind::StdThread;
    unsigned First = ParamOffset;
    // emplace(pos, args...) on a sequence container: pos stays here.
    if (FD->getName() == "emplace" && Args.size() > First + 1 &&
        Args[First]->getType()->isRecordType() &&
        Args[First]->getType()->getAsCXXRecordDecl()->getName().contains(
            "iterator"))
      ++First;
    for (unsigned I = First; I < Args.size(); ++I)
      addValue(C, Args, I, I == First);
    return C;
  }
  if (isStdNamed(FD, {"async"}) && !Args.empty()) {
    C.Kind = CrossingKind::StdAsync;
    unsigned First = 0;
    // std::async(std::launch, F, Args...): the policy stays here.
    if (const auto *ET = Args[0]->getType()->getAs<EnumType>())
      if (isStdNamed(ET->getDecl(), {"launch"}))
        First = 1;
    for (unsigned I = First; I < Args.size(); ++I)
      addValue(C, Args, I, I == First);
    return C;
  }
  if (FD->getIdentifier() && FD->getName() == "pthread_create" &&
      FD->getDeclContext()->getRedeclContext()->isTranslationUnit() &&
      Args.size() == 4) {
    C.Kind = CrossingKind::PthreadCreate;
    addValue(C, Args, 2, /*IsCallable=*/true);
    addValue(C, Args, 3, /*IsCallable=*/false);
    return C;
  }

  // A standard (or oneDPL) algorithm given a parallel execution policy:
  // std::for_each(std::execution::par, first, last, f).
  if (!Args.empty() && !isa<CXXMemberCallExpr>(E) && ParamOffset == 0)
    if (PolicyKind P = executionPolicy(Args[0]->getType());
        P != PolicyKind::None) {
      C.Kind = CrossingKind::Parallel;
      C.Scoped = C.Parallel = true;
      C.Unsequenced = P == PolicyKind::ParallelUnsequenced;
      if (addParallelCallable(C, Args, 1))
        return C;
      return std::nullopt;
    }

  // Annotated parameters.
  bool Any = false;
  for (unsigned I = ParamOffset; I < Args.size(); ++I) {
    const ParmVarDecl *P = patternParam(FD, I - ParamOffset);
    if (!P)
      continue;
    CrossingAnnotation Ann = crossingAnnotation(P);
    if (Ann == CrossingAnnotation::None)
      continue;
    Any = true;
    C.Scoped = Ann == CrossingAnnotation::Scoped ||
               Ann == CrossingAnnotation::Concurrent;
    if (Ann == CrossingAnnotation::Concurrent) {
      // Many runs of one callable: the crossing is that callable alone.
      C = Crossing{E, FD, CrossingKind::Parallel, true, {}};
      C.Parallel = true;
      addValue(C, Args, I, /*IsCallable=*/true, P);
      return C;
    }
    addValue(C, Args, I, !C.Values.size(), P);
  }
  if (Any)
    return C;

  // Configured parallel functions (oneTBB's by default).
  if (!Cfg.ParallelFunctions.empty() && FD->getIdentifier()) {
    std::string Name, Spelled;
    for (const CrossingFunction &PF : Cfg.ParallelFunctions) {
      if (!PF.Name.mayMatchName(FD->getName()))
        continue;
      if (Name.empty()) {
        Name = FD->getQualifiedNameAsString();
        Spelled = spelledName(E);
      }
      if (!PF.Name.matches(Name) &&
          (Spelled.empty() || !PF.Name.matches(Spelled)))
        continue;
      C.Kind = CrossingKind::Parallel;
      C.Scoped = C.Parallel = true;
      C.Option = "ParallelFunctions";
      if (PF.AnyCallable)
        addParallelCallable(C, Args, ParamOffset);
      else
        addValue(C, Args, PF.ParamIndex + ParamOffset, /*IsCallable=*/true);
      if (C.Values.empty())
        return std::nullopt;
      C.Values[0].Param =
          patternParam(FD, C.Values[0].ArgNumber - 1 - ParamOffset);
      return C;
    }
  }

  // Configured functions.
  if (Cfg.CrossingFunctions.empty() && Cfg.ScopedCrossingFunctions.empty())
    return std::nullopt;
  std::string Name = FD->getQualifiedNameAsString();
  std::string Spelled = spelledName(E);
  for (int Scoped = 0; Scoped < 2; ++Scoped)
    for (const CrossingFunction &CF :
         Scoped ? Cfg.ScopedCrossingFunctions : Cfg.CrossingFunctions) {
      if (!CF.Name.matches(Name) &&
          (Spelled.empty() || !CF.Name.matches(Spelled)))
        continue;
      C.Kind = CrossingKind::Configured;
      C.Scoped = Scoped;
      C.Option = Scoped ? "ScopedCrossingFunctions" : "CrossingFunctions";
      addValue(C, Args, CF.ParamIndex + ParamOffset, /*IsCallable=*/true,
               patternParam(FD, CF.ParamIndex));
      if (CF.ArgIndex)
        addValue(C, Args, *CF.ArgIndex + ParamOffset, /*IsCallable=*/false,
                 patternParam(FD, *CF.ArgIndex));
      Any = true;
    }
  if (Any)
    return C;
  return std::nullopt;
}

void forEachCrossing(const Stmt *Body, const Config &Cfg,
                     function_ref<void(const Crossing &, const Stmt *)> Found) {
  // An explicit work list, so deep bodies never deepen the native stack;
  // each item remembers the body that contains it.
  SmallVector<std::pair<const Stmt *, const Stmt *>, 64> Work{{Body, Body}};
  while (!Work.empty()) {
    auto [S, Enclosing] = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *L = dyn_cast<LambdaExpr>(S)) {
      for (const Expr *Init : L->capture_inits())
        Work.push_back({Init, Enclosing});
      Work.push_back({L->getBody(), L->getBody()});
      continue;
    }
    if (const auto *E = dyn_cast<Expr>(S);
        E && isa<CallExpr, CXXConstructExpr>(E) &&
        !E->isInstantiationDependent())
      if (std::optional<Crossing> C = classifyCrossing(E, Cfg))
        Found(*C, Enclosing);
    for (const Stmt *Child : S->children())
      Work.push_back({Child, Enclosing});
  }
}

QualType decayedType(const Expr *Arg, ASTContext &Ctx) {
  QualType T = Arg->getType().getNonReferenceType();
  if (T->isArrayType() || T->isFunctionType())
    return Ctx.getDecayedType(T);
  return T.getUnqualifiedType();
}

const Expr *valueSource(const Expr *E) {
  while (true) {
    E = E->IgnoreImplicit()->IgnoreParens();
    if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
      if (CE->getNumArgs() >= 1 && CE->getConstructor() &&
          CE->getConstructor()->isCopyOrMoveConstructor()) {
        E = CE->getArg(0);
        continue;
      }
      return E;
    }
    if (const auto *Call = dyn_cast<CallExpr>(E)) {
      // std::move(x) and std::forward<T>(x) name the same object.
      if (Call->getNumArgs() == 1 && Call->getDirectCallee() &&
          isStdNamed(Call->getDirectCallee(), {"move", "forward"})) {
        E = Call->getArg(0);
        continue;
      }
      return E;
    }
    return E;
  }
}

QualType typeForMessage(const Expr *Arg, ASTContext &Ctx) {
  QualType Decayed = decayedType(Arg, Ctx);
  if (const auto *DRE = dyn_cast<DeclRefExpr>(valueSource(Arg))) {
    QualType Declared =
        DRE->getDecl()->getType().getNonReferenceType().getUnqualifiedType();
    if (Ctx.hasSameUnqualifiedType(Declared, Decayed))
      return Declared;
  }
  return Decayed;
}

const LambdaExpr *lambdaOf(const Expr *Arg) {
  const Expr *E = valueSource(Arg);
  // A lambda converted to a wrapper (std::function<void()> task = [h] {}) is
  // still what the other thread gets: the wrapper owns a copy of it.
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E);
      CE && CE->getNumArgs() == 1)
    if (const auto *L = dyn_cast<LambdaExpr>(valueSource(CE->getArg(0))))
      return L;
  if (const auto *L = dyn_cast<LambdaExpr>(E))
    return L;
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  if (!DRE)
    return nullptr;
  const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
  if (!VD || !VD->hasLocalStorage() || !VD->getInit())
    return nullptr;
  return dyn_cast<LambdaExpr>(valueSource(VD->getInit()));
}

} // namespace sendsync
