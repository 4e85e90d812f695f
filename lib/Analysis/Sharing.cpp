//===- Sharing.cpp - what a crossing shares -------------------------------===//

#include "Analysis/Sharing.h"
#include "Analysis/ASTUtil.h"
#include "Analysis/Accesses.h"
#include "Analysis/ThreadFacts.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;
using namespace llvm;

namespace sendsync {

const ValueDecl *ShareInfo::sharedObjectFor(const ValueDecl *D) const {
  if (auto It = Alias.find(D); It != Alias.end())
    return It->second;
  if (find(D))
    return D;
  if (ThisClass)
    if (const auto *FD = dyn_cast<FieldDecl>(D))
      if (FD->getParent() == ThisClass)
        return D;
  return nullptr;
}

bool ShareInfo::rebaseThroughBlock(AccessPath &P, bool PointerValued) const {
  auto It = ArgumentPointees.find(P.Root);
  if (It == ArgumentPointees.end() || P.Fields.size() < 2 || !P.throughRoot())
    return false;
  auto Member = It->second.find(P.Fields[1]);
  if (Member == It->second.end())
    return false;
  bool Deref = P.Fields.size() > 2 && P.Fields[2] == derefStep();
  if (!Deref && !PointerValued)
    return false;
  P.Root = Member->second;
  P.Fields.erase(P.Fields.begin(), P.Fields.begin() + (Deref ? 3 : 2));
  return true;
}

const SharedObject *ShareInfo::find(const ValueDecl *Object) const {
  for (const SharedObject &S : Objects)
    if (S.Object == Object)
      return &S;
  return nullptr;
}

bool ShareInfo::isThisObjectMember(const ValueDecl *D) const {
  const auto *FD = dyn_cast<FieldDecl>(D);
  if (!ThisObject || !FD)
    return false;
  const auto *Owner = dyn_cast<CXXRecordDecl>(FD->getParent());
  return Owner && (Owner == ThisObjectClass ||
                   ThisObjectClass->isDerivedFrom(Owner));
}

QualType sharedPointee(QualType T) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  const auto *CTSD = dyn_cast_or_null<ClassTemplateSpecializationDecl>(RD);
  if (!CTSD || !isStdNamed(CTSD, {"shared_ptr"}) ||
      CTSD->getTemplateArgs().size() < 1 ||
      CTSD->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return {};
  QualType P = CTSD->getTemplateArgs()[0].getAsType();
  return P.isConstQualified() ? QualType() : P;
}

bool isSharedPointer(const ValueDecl *V) {
  const auto *VD = dyn_cast<VarDecl>(V);
  if (!VD || !VD->hasLocalStorage())
    return false;
  QualType T = VD->getType();
  if (!T->isPointerType())
    return false;
  QualType P = T->getPointeeType();
  return !P->isFunctionType() && !P->isVoidType() && !P->isDependentType();
}

/// What a crossing argument shares: std::ref(x)/std::cref(x) or &x.
/// A local pointer that only ever holds the address \p Init it is
/// initialized with (`int *p = &x;`, never assigned, its address never
/// taken): what it points to, or null.
static const Expr *fixedAddress(const VarDecl *P) {
  if (!P->hasLocalStorage() || !P->getType()->isPointerType() ||
      !P->getInit() || isa<ParmVarDecl>(P))
    return nullptr;
  const Expr *Init = valueSource(P->getInit())->IgnoreParenCasts();
  const auto *UO = dyn_cast<UnaryOperator>(Init);
  if (!UO || UO->getOpcode() != UO_AddrOf || !declOf(UO->getSubExpr()))
    return nullptr;
  const auto *Owner = dyn_cast<FunctionDecl>(P->getDeclContext());
  if (!Owner || !Owner->hasBody())
    return nullptr;
  SmallVector<const Stmt *, 32> Work{Owner->getBody()};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    pushChildren(Work, S);
    if (const auto *BO = dyn_cast<BinaryOperator>(S);
        BO && BO->isAssignmentOp() && declOf(BO->getLHS()) == P)
      return nullptr;
    if (const auto *U = dyn_cast<UnaryOperator>(S);
        U && (U->getOpcode() == UO_AddrOf || U->isIncrementDecrementOp()) &&
        declOf(U->getSubExpr()) == P)
      return nullptr;
  }
  return UO;
}

static std::optional<std::pair<const ValueDecl *, ShareVia>>
sharedByArgument(const Expr *Arg) {
  // pthread_create(&t, 0, f, (void *)&x): the cast changes no object.
  const Expr *E = valueSource(valueSource(Arg)->IgnoreParenCasts());
  // `int *p = &x; std::thread t(f, p);`: p is only ever x's address.
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *P = dyn_cast<VarDecl>(DRE->getDecl()))
      if (const Expr *Fixed = fixedAddress(P))
        E = Fixed;
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_AddrOf)
    if (const ValueDecl *D = declOf(UO->getSubExpr()))
      return std::make_pair(D, ShareVia::AddressOf);
  // An array's name passes the address of its first element.
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
        VD && VD->getType()->isArrayType())
      return std::make_pair(VD, ShareVia::AddressOf);
  if (const auto *Call = dyn_cast<CallExpr>(E))
    if (const FunctionDecl *FD = Call->getDirectCallee())
      if (isStdNamed(FD, {"ref", "cref"}) &&
          Call->getNumArgs() == 1)
        if (const ValueDecl *D = declOf(Call->getArg(0)))
          return std::make_pair(D, ShareVia::StdRef);
  return std::nullopt;
}

static const VarDecl *argumentBlocks(const Expr *Arg);
static SmallDenseMap<const FieldDecl *, const ValueDecl *, 2>
argumentPointees(const VarDecl *Blocks);

/// Binds the thread's parameter \p P, given \p Arg, to the objects the
/// members of the argument block it points to point to (argumentPointees).
static void bindArgumentBlock(const Expr *Arg, const ParmVarDecl *P,
                              ShareInfo &Info) {
  const VarDecl *Blocks = argumentBlocks(Arg);
  if (!Blocks)
    return;
  auto Members = argumentPointees(Blocks);
  if (Members.empty())
    return;
  for (auto [F, Object] : Members)
    if (!Info.find(Object))
      Info.Objects.push_back({Object, Arg->getExprLoc(), ShareVia::AddressOf});
  Info.ArgumentPointees[P] = std::move(Members);
}

/// The array and the constant index of an argument that is the address of
/// one of its elements (`&res[0]`, `res + 2`, through casts).
static std::optional<std::pair<const VarDecl *, int64_t>>
constantElement(const Expr *Arg) {
  const Expr *E = valueSource(Arg)->IgnoreParenCasts();
  const Expr *Base = nullptr, *Index = nullptr;
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_AddrOf) {
    if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(
            UO->getSubExpr()->IgnoreParenImpCasts())) {
      Base = ASE->getBase();
      Index = ASE->getIdx();
    }
  } else if (const auto *BO = dyn_cast<BinaryOperator>(E);
             BO && BO->getOpcode() == BO_Add &&
             BO->getLHS()->getType()->isPointerType()) {
    Base = BO->getLHS();
    Index = BO->getRHS();
  }
  if (!Base || Index->isValueDependent())
    return std::nullopt;
  const auto *DRE = dyn_cast<DeclRefExpr>(Base->IgnoreParenImpCasts());
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!VD || !VD->getType()->isConstantArrayType())
    return std::nullopt;
  Expr::EvalResult R;
  if (!Index->EvaluateAsInt(R, VD->getASTContext()) ||
      R.Val.getInt().getSignificantBits() > 62)
    return std::nullopt;
  return std::make_pair(VD, R.Val.getInt().getSExtValue());
}

/// The spawner's pointer variable an argument or capture copies, when the
/// thread then shares its pointee: a local or parameter of pointer type
/// (not to a function, not `void *`, whose pointee's type is unknown here),
/// named as is or through casts (`(void *)a`).
static const VarDecl *sharedPointerVariable(const Expr *Arg) {
  const Expr *E = valueSource(valueSource(Arg)->IgnoreParenCasts());
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  return VD && isSharedPointer(VD) ? VD : nullptr;
}

bool handsOverByReference(const Expr *Arg) {
  return sharedByArgument(Arg) || sharedPointerVariable(Arg) ||
         constantElement(Arg);
}

/// Follows pointer aliases through locals initialized from them, through
/// casts: `int *n = static_cast<int *>(arg);` makes n point where arg does.
/// A pointer is followed only while it keeps pointing into one object
/// (\p Uses): one the thread assigns (`p = malloc(n)`), or whose address
/// it hands on, may point at something of its own, and is not followed.
/// Stepping within an array (`p++`) stays on the array.
static void followPointerCopies(ThreadFacts &Facts, ShareInfo &Info) {
  if (Info.PointerAlias.empty() && Info.PointeeOf.empty() &&
      Info.PerInstance.empty() && Info.ArgumentPointees.empty())
    return;
  const LocalUses &Uses = Facts.localUses(Info.Body);
  auto Moves = [&](const ValueDecl *D) { return !Uses.keepsObject(D); };
  // Parameters and captures first: a thread that points its own `arg`
  // elsewhere no longer names the shared object through it. (Being one
  // instance's own is kept whatever happens to the name: it only ever
  // drops locks, which is the cautious side.) A name bound to one element
  // (`&res[0]`) that the thread steps leaves that element: not followed.
  eraseEntriesIf(Info.ElementOf, [&](const auto &Entry) {
    if (Uses.keepsValue(Entry.first))
      return false;
    Info.PointerAlias.erase(Entry.first);
    return true;
  });
  eraseEntriesIf(Info.ArgumentPointees,
                 [&](const auto &Entry) { return Moves(Entry.first); });
  for (auto *Map : {&Info.PointerAlias, &Info.PointeeOf})
    eraseEntriesIf(*Map, [&](const auto &Entry) {
      if (!Moves(Entry.first))
        return false;
      // A by-copy capture names the pointee it shares by itself: the
      // thread's copy pointed elsewhere shares nothing.
      if (Entry.first == Entry.second)
        llvm::erase_if(Info.Objects, [&](const SharedObject &O) {
          return O.Object == Entry.first && O.How == ShareVia::Pointee;
        });
      return true;
    });
  for (const VarDecl *VD : Uses.InitializedLocals) {
    if (!VD->getType()->isPointerType())
      continue;
    const ValueDecl *From = declOf(VD->getInit()->IgnoreParenCasts());
    if (!From)
      continue;
    if (Info.PerInstance.count(From))
      Info.PerInstance.insert(VD);
    if (Moves(VD))
      continue;
    if (auto It = Info.ElementOf.find(From); It != Info.ElementOf.end()) {
      if (!Uses.keepsValue(VD))
        continue;
      Info.ElementOf[VD] = It->second;
    }
    if (auto It = Info.PointerAlias.find(From); It != Info.PointerAlias.end())
      Info.PointerAlias[VD] = It->second;
    if (auto It = Info.PointeeOf.find(From); It != Info.PointeeOf.end())
      Info.PointeeOf[VD] = It->second;
    if (auto It = Info.ArgumentPointees.find(From);
        It != Info.ArgumentPointees.end()) {
      auto Members = It->second; // a copy: the map may grow
      Info.ArgumentPointees[VD] = std::move(Members);
    }
  }
}

/// The spawner's local whose address \p E is (`&total`, an array `hits`
/// decayed, through casts), or null.
static const VarDecl *addressedLocal(const Expr *E) {
  E = E->IgnoreParenCasts();
  bool AddressOf = false;
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_AddrOf) {
    E = UO->getSubExpr()->IgnoreParenImpCasts();
    AddressOf = true;
  }
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!VD || !VD->hasLocalStorage() || isa<ParmVarDecl>(VD) ||
      VD->getType()->isReferenceType() ||
      (!AddressOf && !VD->getType()->isArrayType()))
    return nullptr;
  return VD;
}

/// The spawner's local array of blocks, or block, an argument points into
/// (`&args[i]`, `args + i`, `&args`, `args`), when the blocks are structs
/// with a pointer member; null otherwise.
static const VarDecl *argumentBlocks(const Expr *Arg) {
  const Expr *E = valueSource(Arg)->IgnoreParenCasts();
  for (;;) {
    if (const auto *UO = dyn_cast<UnaryOperator>(E);
        UO && UO->getOpcode() == UO_AddrOf)
      E = UO->getSubExpr()->IgnoreParenCasts();
    else if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E))
      E = ASE->getBase()->IgnoreParenCasts();
    else if (const auto *BO = dyn_cast<BinaryOperator>(E);
             BO && BO->isAdditiveOp() && BO->getLHS()->getType()->isPointerType())
      E = BO->getLHS()->IgnoreParenCasts();
    else
      break;
  }
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!VD || !VD->hasLocalStorage() || isa<ParmVarDecl>(VD) ||
      VD->getType()->isReferenceType())
    return nullptr;
  QualType T = VD->getType();
  while (const ArrayType *AT = T->getAsArrayTypeUnsafe())
    T = AT->getElementType();
  const RecordDecl *RD = T->getAsRecordDecl();
  if (!RD || !RD->getDefinition() ||
      llvm::none_of(RD->getDefinition()->fields(), [](const FieldDecl *F) {
        return F->getType()->isPointerType();
      }))
    return nullptr;
  return VD;
}

/// The pointer members of the blocks \p Blocks that the spawner sets, in
/// every block, to the address of one local of its own: in the
/// initializer (`struct args a = {.total = &total}`) and by assignment
/// (`a[i].total = &total`). A member set to anything else, or to two
/// objects, or used otherwise than read or assigned, is left out; so are
/// all members when a block is used otherwise than by its members or given
/// to a library function (a function of the unit, a pointer, a reference
/// or memcpy may set them out of sight).
static SmallDenseMap<const FieldDecl *, const ValueDecl *, 2>
argumentPointees(const VarDecl *Blocks) {
  SmallDenseMap<const FieldDecl *, const ValueDecl *, 2> Out;
  const auto *Fn = dyn_cast_or_null<FunctionDecl>(
      Blocks->getParentFunctionOrMethod());
  if (!Fn || !Fn->hasBody())
    return Out;
  DenseSet<const FieldDecl *> Mixed;
  auto Stored = [&](const FieldDecl *F, const Expr *Value) {
    if (!F->getType()->isPointerType() || Mixed.count(F))
      return;
    const VarDecl *Object = Value ? addressedLocal(Value) : nullptr;
    auto [It, New] = Out.try_emplace(F, Object);
    if (!Object || (!New && It->second != Object)) {
      Mixed.insert(F);
      Out.erase(F);
    }
  };
  // The initializer, a block or an array of blocks.
  SmallVector<const Expr *, 8> Inits;
  if (Blocks->getInit())
    Inits.push_back(Blocks->getInit());
  while (!Inits.empty()) {
    const auto *ILE = dyn_cast<InitListExpr>(Inits.pop_back_val()->IgnoreImplicit());
    if (!ILE)
      continue;
    if (ILE->getType()->isArrayType()) {
      append_range(Inits, ILE->inits());
      continue;
    }
    const RecordDecl *RD = ILE->getType()->getAsRecordDecl();
    // Initializers line up with the fields only without bases and unnamed
    // bit-fields.
    const auto *CRD = dyn_cast_or_null<CXXRecordDecl>(RD);
    if (!RD || RD->isUnion() || (CRD && CRD->getNumBases()) ||
        llvm::any_of(RD->fields(),
                     [](const FieldDecl *F) { return F->isUnnamedBitField(); }))
      return decltype(Out)();
    unsigned I = 0;
    for (const FieldDecl *F : RD->fields()) {
      const Expr *Init = I < ILE->getNumInits() ? ILE->getInit(I) : nullptr;
      if (Init && !isa<ImplicitValueInitExpr>(Init))
        Stored(F, Init);
      ++I;
    }
  }
  // Every use of the blocks: a member read or assigned, or a block handed
  // to a library function (pthread_create, std::thread, memset).
  const SourceManager &SM = Fn->getASTContext().getSourceManager();
  ParentMap PM(Fn->getBody());
  auto Up = [&](const Stmt *S) {
    const Stmt *P = PM.getParent(S);
    while (P && isa<ImplicitCastExpr, ParenExpr, MaterializeTemporaryExpr,
                    CStyleCastExpr, CXXStaticCastExpr>(P)) {
      S = P;
      P = PM.getParent(P);
    }
    return std::make_pair(S, P);
  };
  SmallVector<const Stmt *, 32> Work{Fn->getBody()};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    pushChildren(Work, S);
    const auto *Ref = dyn_cast<DeclRefExpr>(S);
    if (!Ref || Ref->getDecl() != Blocks)
      continue;
    // Down to a block (through elements), then to one of its members.
    auto [Cur, P] = Up(Ref);
    while (const auto *ASE = dyn_cast_or_null<ArraySubscriptExpr>(P)) {
      if (ASE->getBase()->IgnoreParenImpCasts() != Ref &&
          ASE->getBase() != Cur)
        break;
      std::tie(Cur, P) = Up(ASE);
    }
    if (isa_and_nonnull<UnaryExprOrTypeTraitExpr>(P))
      continue; // sizeof
    if (const auto *ME = dyn_cast_or_null<MemberExpr>(P);
        ME && !ME->isArrow()) {
      const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
      if (!F || !F->getType()->isPointerType())
        continue;
      auto [Member, Use] = Up(ME);
      const auto *BO = dyn_cast_or_null<BinaryOperator>(Use);
      const auto *Load = dyn_cast_or_null<ImplicitCastExpr>(PM.getParent(ME));
      if (BO && BO->getOpcode() == BO_Assign && BO->getLHS() == Member)
        Stored(F, BO->getRHS());
      else if (!Load || Load->getCastKind() != CK_LValueToRValue)
        Stored(F, nullptr); // its address taken, bound, ...: not followed
      continue;
    }
    if (const auto *UO = dyn_cast_or_null<UnaryOperator>(P);
        UO && UO->getOpcode() == UO_AddrOf)
      std::tie(Cur, P) = Up(UO);
    const FunctionDecl *Callee = nullptr;
    if (const auto *Call = dyn_cast_or_null<CallExpr>(P))
      Callee = Call->getDirectCallee();
    else if (const auto *Construct = dyn_cast_or_null<CXXConstructExpr>(P))
      Callee = Construct->getConstructor();
    if (!Callee || !SM.isInSystemHeader(Callee->getLocation()) ||
        (Callee->getIdentifier() &&
         llvm::is_contained({"memcpy", "memmove", "bcopy", "memccpy"},
                            Callee->getName())))
      return decltype(Out)();
  }
  return Out;
}

/// Locals of the thread's body that only ever hold a constant parameter's
/// value, through casts (`long id = (long)arg;` with arg bound to
/// `(void *)1`): they hold that constant too. A parameter the body changes
/// holds it only at the start: it is no constant.
static void bindConstantLocals(ThreadFacts &Facts, ShareInfo &Info) {
  if (Info.ConstantParams.empty())
    return;
  const LocalUses &Uses = Facts.localUses(Info.Body);
  eraseEntriesIf(Info.ConstantParams, [&](const auto &Entry) {
    return !Uses.keepsValue(Entry.first);
  });
  for (const VarDecl *VD : Uses.InitializedLocals) {
    if (!VD->getType()->isIntegerType() || !Uses.keepsValue(VD))
      continue;
    const auto *Ref =
        dyn_cast<DeclRefExpr>(VD->getInit()->IgnoreParenCasts());
    const auto *From = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
    if (std::optional<int64_t> Value =
            From && Uses.keepsValue(From) ? Info.constantParam(From)
                                          : std::nullopt)
      Info.ConstantParams[VD] = *Value;
  }
}

// A read-modify-write of a std::atomic whose result no other evaluation
// returns: `next++`, `--left`, `next.fetch_add(1)` (any nonzero constant).
static bool isTicket(const Expr *E, ASTContext &Ctx) {
  E = E->IgnoreParenImpCasts();
  const Expr *Object = nullptr;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E)) {
    if ((Op->getOperator() == OO_PlusPlus ||
         Op->getOperator() == OO_MinusMinus) &&
        Op->getNumArgs() >= 1)
      Object = Op->getArg(0);
  } else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    if (MD && MD->getIdentifier() &&
        (MD->getName() == "fetch_add" || MD->getName() == "fetch_sub") &&
        MC->getNumArgs() >= 1) {
      Expr::EvalResult Step;
      if (MC->getArg(0)->EvaluateAsInt(Step, Ctx) &&
          !Step.Val.getInt().isZero())
        Object = MC->getImplicitObjectArgument();
    }
  }
  if (!Object)
    return false;
  // libstdc++'s integral atomics inherit fetch_add from a base class: the
  // object is `next` behind a derived-to-base cast.
  QualType T = Object->IgnoreParenImpCasts()->getType();
  if (T->isPointerType())
    T = T->getPointeeType();
  return isStdClass(T->getAsCXXRecordDecl(), {"atomic"});
}

// Locals of the thread body that only ever hold tickets (see isTicket): in
// every thread and every iteration each holds an index no other holds, so
// elements reached through it are distinct. This is the work-distribution
// idiom `for (size_t i; (i = next++) < n;) work(items[i]);`.
static void findTicketIndices(const Stmt *Body, ASTContext &Ctx,
                              ShareInfo &Info) {
  if (!Body)
    return;
  llvm::DenseMap<const VarDecl *, bool> OnlyTickets;
  SmallVector<const Stmt *, 32> Work{Body};
  SmallVector<const Stmt *, 32> All;
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    All.push_back(S);
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D);
            VD && VD->isLocalVarDecl() && !VD->isStaticLocal() &&
            VD->getType()->isIntegerType())
          OnlyTickets[VD] = !VD->getInit() || isTicket(VD->getInit(), Ctx);
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  auto Written = [&](const Expr *E) -> const VarDecl * {
    const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    return DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  };
  for (const Stmt *S : All) {
    if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
      if (!BO->isAssignmentOp())
        continue;
      if (const VarDecl *V = Written(BO->getLHS()); V && OnlyTickets.count(V))
        OnlyTickets[V] &= BO->getOpcode() == BO_Assign &&
                          isTicket(BO->getRHS(), Ctx);
    } else if (const auto *UO = dyn_cast<UnaryOperator>(S)) {
      // ++i, or &i handed to code that may write it.
      if (UO->isIncrementDecrementOp() || UO->getOpcode() == UO_AddrOf)
        if (const VarDecl *V = Written(UO->getSubExpr()))
          OnlyTickets.erase(V);
    }
  }
  for (const auto &[V, Only] : OnlyTickets)
    if (Only && !V->getType()->isReferenceType())
      Info.PerThread.insert(V);
}

/// Binds `*this` of a member function the thread runs to the object
/// argument: `&obj` shares obj, a pointer variable its pointee; `this`
/// shares the spawner's own object, as a captured `this` does.
static void bindObject(const Expr *Arg, const CXXRecordDecl *Class,
                       ShareInfo &Info) {
  const Expr *E = valueSource(valueSource(Arg)->IgnoreParenCasts());
  if (isa<CXXThisExpr>(E)) {
    Info.ThisAt = Arg->getExprLoc();
    Info.ThisClass = Class;
    return;
  }
  if (auto Shared = sharedByArgument(Arg)) {
    Info.ThisObject = Shared->first;
    Info.Objects.push_back({Shared->first, Arg->getExprLoc(), Shared->second});
  } else if (const VarDecl *Ptr = sharedPointerVariable(Arg)) {
    Info.ThisObject = Ptr;
    Info.ThisViaPointer = true;
    Info.Objects.push_back({Ptr, Arg->getExprLoc(), ShareVia::Pointee});
  } else {
    return;
  }
  Info.ThisObjectClass = Class;
}

/// The operator() a thread runs when its callable is a function object
/// (or std::ref of one) of a class of the translation unit, taking
/// \p Arity arguments; null otherwise.
static const CXXMethodDecl *functorCall(const Expr *Arg, ASTContext &Ctx,
                                        unsigned Arity) {
  QualType T = valueSource(Arg)->getType().getNonReferenceType();
  if (const auto *CTSD = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
          T->getAsCXXRecordDecl());
      CTSD && isStdNamed(CTSD, {"reference_wrapper"}) &&
      CTSD->getTemplateArgs().size() == 1 &&
      CTSD->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
    T = CTSD->getTemplateArgs()[0].getAsType();
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition() || RD->isLambda() || inStd(RD))
    return nullptr;
  auto Name = Ctx.DeclarationNames.getCXXOperatorName(OO_Call);
  for (const NamedDecl *ND : RD->lookup(Name))
    if (const auto *MD = dyn_cast<CXXMethodDecl>(ND))
      if (MD->getNumParams() == Arity && MD->hasBody())
        return cast<CXXMethodDecl>(MD->getDefinition());
  return nullptr;
}

/// The function a thread runs when its callable is a function-pointer
/// parameter of the spawning function that it never changes, and every
/// call of that function in the unit passes the same function
/// (`spawn(worker)`, `run_pair(exchange)` wherever they are called): null
/// otherwise. Callers that pass different functions are not followed: one
/// thread start would stand for several that each run another function.
static const FunctionDecl *parameterEntry(const Expr *Arg,
                                          ThreadFacts &Facts) {
  const auto *DRE =
      dyn_cast<DeclRefExpr>(valueSource(Arg)->IgnoreParenImpCasts());
  const auto *P = DRE ? dyn_cast<ParmVarDecl>(DRE->getDecl()) : nullptr;
  if (!P || !P->getType()->isFunctionPointerType())
    return nullptr;
  const auto *Owner = dyn_cast<FunctionDecl>(P->getDeclContext());
  if (!Owner || !Owner->hasBody() ||
      !Facts.localUses(Owner->getBody()).keepsValue(P))
    return nullptr;
  // Callers in other units may pass other functions: what the calls seen
  // here start is still what this finds.
  unsigned Index = P->getFunctionScopeIndex();
  const FunctionDecl *Entry = nullptr;
  ArrayRef<ThreadFacts::CallSite> Calls = Facts.callers(Owner);
  if (Calls.empty())
    return nullptr;
  for (const ThreadFacts::CallSite &Site : Calls) {
    // (An operator's object is not among its arguments.)
    std::optional<CallParts> Parts = callParts(Site.Call);
    if (!Parts || Index >= Parts->Args.size())
      return nullptr;
    const Expr *E = Parts->Args[Index]->IgnoreParenCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(E);
        UO && UO->getOpcode() == UO_AddrOf)
      E = UO->getSubExpr()->IgnoreParenCasts();
    const auto *FD = dyn_cast_or_null<FunctionDecl>(declOf(E));
    if (!FD || (Entry && FD->getCanonicalDecl() != Entry->getCanonicalDecl()))
      return nullptr;
    Entry = FD;
  }
  return Entry;
}

/// The functions a thread may run when its callable is an element of a
/// table of functions (`jobs[i]`): an array of function pointers
/// initialized from a list of functions, and never written (a local of the
/// spawning function whose every use reads an element, or a const array).
/// Empty when the callable is something else or the table may change.
static SmallVector<const FunctionDecl *, 4> tableEntries(const Expr *Arg) {
  SmallVector<const FunctionDecl *, 4> Out;
  const auto *ASE =
      dyn_cast<ArraySubscriptExpr>(valueSource(Arg)->IgnoreParenImpCasts());
  const auto *DRE = ASE ? dyn_cast<DeclRefExpr>(
                              ASE->getBase()->IgnoreParenImpCasts())
                        : nullptr;
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!VD || !VD->getType()->isArrayType() || !VD->getInit())
    return Out;
  const auto *AT = VD->getType()->getAsArrayTypeUnsafe();
  if (!AT->getElementType()->isFunctionPointerType())
    return Out;
  const auto *List = dyn_cast<InitListExpr>(VD->getInit()->IgnoreImplicit());
  if (!List)
    return Out;
  for (const Expr *Init : List->inits()) {
    const Expr *E = Init->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(E);
        UO && UO->getOpcode() == UO_AddrOf)
      E = UO->getSubExpr()->IgnoreParenImpCasts();
    const auto *FD = dyn_cast_or_null<FunctionDecl>(declOf(E));
    if (!FD)
      return {};
    if (!llvm::is_contained(Out, FD))
      Out.push_back(FD);
  }
  if (AT->getElementType().isConstQualified())
    return Out;
  // A local table: every use in its function names one element, and none
  // is assigned, incremented or has its address taken.
  const auto *Owner = dyn_cast<FunctionDecl>(VD->getDeclContext());
  if (!VD->hasLocalStorage() || !Owner || !Owner->hasBody())
    return {};
  auto ElementOfTable = [&](const Expr *E) {
    const auto *Elt = dyn_cast<ArraySubscriptExpr>(E->IgnoreParens());
    const auto *Base =
        Elt ? dyn_cast<DeclRefExpr>(Elt->getBase()->IgnoreParenImpCasts())
            : nullptr;
    return Base && Base->getDecl() == VD;
  };
  unsigned Uses = 0, Elements = 0;
  SmallVector<const Stmt *, 32> Work{Owner->getBody()};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    pushChildren(Work, S);
    if (const auto *Ref = dyn_cast<DeclRefExpr>(S); Ref && Ref->getDecl() == VD)
      ++Uses;
    if (const auto *E = dyn_cast<Expr>(S); E && ElementOfTable(E))
      ++Elements;
    if (const auto *BO = dyn_cast<BinaryOperator>(S);
        BO && BO->isAssignmentOp() && ElementOfTable(BO->getLHS()))
      return {};
    if (const auto *UO = dyn_cast<UnaryOperator>(S);
        UO && (UO->getOpcode() == UO_AddrOf || UO->isIncrementDecrementOp()) &&
        ElementOfTable(UO->getSubExpr()))
      return {};
  }
  return Uses == Elements ? Out : SmallVector<const FunctionDecl *, 4>();
}

/// The function a thread runs when its callable names one: a function, or
/// a local function pointer holding one where the thread starts (the last
/// value given to it before \p Start, in a body without other writes to
/// it: `void (*step)() = download; std::thread a(step);`).
static const FunctionDecl *calledFunction(const Expr *Arg, const Expr *Start,
                                          ASTContext &Ctx) {
  const Expr *E = valueSource(Arg)->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_AddrOf)
    E = UO->getSubExpr();
  const ValueDecl *D = declOf(E);
  // &Class::method runs on an object: bound apart (bindObject).
  if (const auto *MD = dyn_cast_or_null<CXXMethodDecl>(D);
      MD && !MD->isStatic())
    return nullptr;
  if (const auto *FD = dyn_cast_or_null<FunctionDecl>(D))
    return FD;
  const auto *VD = dyn_cast_or_null<VarDecl>(D);
  if (!VD || !VD->hasLocalStorage() || !VD->getType()->isFunctionPointerType())
    return nullptr;
  const auto *Owner = dyn_cast<FunctionDecl>(VD->getDeclContext());
  if (!Owner || !Owner->hasBody())
    return nullptr;
  auto Target = [](const Expr *V) -> const FunctionDecl * {
    V = V->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(V);
        UO && UO->getOpcode() == UO_AddrOf)
      V = UO->getSubExpr()->IgnoreParenImpCasts();
    return dyn_cast_or_null<FunctionDecl>(declOf(V));
  };
  const SourceManager &SM = Ctx.getSourceManager();
  // Every value given to it, with where; the last one before the start.
  const FunctionDecl *Last = VD->getInit() ? Target(VD->getInit()) : nullptr;
  if (VD->getInit() && !Last)
    return nullptr;
  SourceLocation LastAt = VD->getLocation();
  SmallVector<const Stmt *, 32> Work{Owner->getBody()};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    pushChildren(Work, S);
    if (const auto *UO = dyn_cast<UnaryOperator>(S);
        UO && UO->getOpcode() == UO_AddrOf && declOf(UO->getSubExpr()) == VD)
      return nullptr; // written through a pointer: not followed
    const auto *BO = dyn_cast<BinaryOperator>(S);
    if (!BO || !BO->isAssignmentOp() || declOf(BO->getLHS()) != VD)
      continue;
    const FunctionDecl *To = Target(BO->getRHS());
    if (!To)
      return nullptr;
    if (SM.isBeforeInTranslationUnit(BO->getBeginLoc(), Start->getBeginLoc()) &&
        SM.isBeforeInTranslationUnit(LastAt, BO->getBeginLoc())) {
      Last = To;
      LastAt = BO->getBeginLoc();
    }
  }
  return Last;
}

/// Records what a reference or pointer member of a function object passed
/// by value refers to: `Tally{total, 0, n}` (an aggregate) or `Tally(total)`
/// (a constructor that binds its member to a parameter) shares `total`.
static void bindMember(const FieldDecl *F, const Expr *Init,
                       SourceLocation At, ShareInfo &Info) {
  if (!F || !Init)
    return;
  QualType FT = F->getType();
  if (FT->isReferenceType()) {
    if (const auto *VD = dyn_cast_or_null<VarDecl>(declOf(valueSource(Init)))) {
      Info.Objects.push_back({VD, At, ShareVia::RefCapture});
      Info.Alias[F] = VD;
    }
  } else if (FT->isPointerType()) {
    if (auto Shared = sharedByArgument(Init)) {
      Info.Objects.push_back({Shared->first, At, Shared->second});
      Info.PointerAlias[F] = Shared->first;
    }
  }
}

static void bindFunctorMembers(const Expr *Arg, ShareInfo &Info) {
  // Tally{total, 0, n} is a functional cast around the initializer list.
  const Expr *E = valueSource(valueSource(Arg)->IgnoreParenCasts());
  // A local function object: what it was built from.
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
        VD && VD->hasLocalStorage() && VD->getInit())
      E = valueSource(valueSource(VD->getInit())->IgnoreParenCasts());
  SourceLocation At = Arg->getExprLoc();
  if (const auto *IL = dyn_cast<InitListExpr>(E)) {
    const auto *RD = IL->getType()->getAsCXXRecordDecl();
    if (!RD || RD->getNumBases())
      return;
    unsigned I = 0;
    for (const FieldDecl *F : RD->fields()) {
      if (I >= IL->getNumInits())
        break;
      bindMember(F, IL->getInit(I++), At, Info);
    }
    return;
  }
  const auto *CE = dyn_cast<CXXConstructExpr>(E);
  const CXXConstructorDecl *Ctor =
      CE ? dyn_cast_or_null<CXXConstructorDecl>(
               CE->getConstructor()->getDefinition())
         : nullptr;
  if (!Ctor)
    return;
  for (const CXXCtorInitializer *Init : Ctor->inits()) {
    const FieldDecl *F = Init->getMember();
    const auto *P = dyn_cast_or_null<ParmVarDecl>(
        declOf(Init->getInit()->IgnoreImplicit()));
    if (!F || !P || P->getFunctionScopeIndex() >= CE->getNumArgs())
      continue;
    bindMember(F, CE->getArg(P->getFunctionScopeIndex()), At, Info);
  }
}

/// Whether \p E mentions a variable of \p Set.
static bool mentionsAny(const Stmt *E,
                        const SmallPtrSetImpl<const ValueDecl *> &Set) {
  SmallVector<const Stmt *, 8> Work{E};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
      if (Set.count(DRE->getDecl()))
        return true;
    pushChildren(Work, S);
  }
  return false;
}

// Integer locals of the thread body computed from its per-thread values:
// `long id = (long)arg;`, `for (int j = id * chunk; j < ...; ++j)`. Each
// thread's value is its own, so, as for the thread's parameters, elements
// selected by them are taken to be its own (the partitioned-array idiom of
// textbook pthread code; docs/model.md, "Distinct elements"). A local that
// is ever given a value not computed from them (`j = 0`) is not one.
static void derivePerThreadLocals(const Stmt *Body, ShareInfo &Info) {
  if (!Body || Info.PerThread.empty())
    return;
  SmallVector<const VarDecl *, 8> Locals;
  // Per local: the expressions assigned to it (null: a write whose value
  // cannot be followed, such as &j handed away).
  // A compound assignment (j += step) keeps the old value in the new.
  DenseMap<const VarDecl *, SmallVector<std::pair<const Expr *, bool>, 2>>
      Values;
  SmallVector<const Stmt *, 32> Work{Body};
  auto LocalOf = [&](const Expr *E) -> const VarDecl * {
    const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    return VD && Values.count(VD) ? VD : nullptr;
  };
  SmallVector<const Stmt *, 64> All;
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    All.push_back(S);
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D);
            VD && VD->isLocalVarDecl() && !VD->isStaticLocal() &&
            VD->getType()->isIntegerType() && VD->getInit() &&
            !Info.PerThread.count(VD)) {
          Locals.push_back(VD);
          Values[VD].push_back({VD->getInit(), false});
        }
    pushChildren(Work, S);
  }
  if (Locals.empty())
    return;
  for (const Stmt *S : All) {
    if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
      if (!BO->isAssignmentOp())
        continue;
      if (const VarDecl *V = LocalOf(BO->getLHS()))
        Values[V].push_back({BO->getRHS(), BO->isCompoundAssignmentOp()});
    } else if (const auto *UO = dyn_cast<UnaryOperator>(S)) {
      if (UO->getOpcode() == UO_AddrOf)
        if (const VarDecl *V = LocalOf(UO->getSubExpr()))
          Values[V].push_back({nullptr, false});
    }
  }
  // A value derived from the locals themselves (j = j + 1) or from
  // constants keeps a derived local derived; each local needs its
  // initializer to mention a per-thread value.
  bool Changed = true;
  while (Changed) {
    Changed = false;
    for (const VarDecl *V : Locals) {
      if (Info.PerThread.count(V))
        continue;
      if (!mentionsAny(V->getInit(), Info.PerThread))
        continue;
      bool AllDerived = llvm::all_of(Values[V], [&](auto Value) {
        auto [E, Compound] = Value;
        if (!E || E->isValueDependent())
          return false;
        if (E == V->getInit() || mentionsAny(E, Info.PerThread))
          return true;
        // A step from V's own value: j = j + 1, j += 2 (not j = 0).
        SmallPtrSet<const ValueDecl *, 1> Self{V};
        return mentionsAny(E, Self) ||
               (Compound && E->isIntegerConstantExpr(V->getASTContext()));
      });
      if (AllDerived) {
        Info.PerThread.insert(V);
        Changed = true;
      }
    }
  }
  // A loop from a per-thread start to a bound all threads share, by steps
  // of one (`for (i = k; i < n; ++i)`), covers [k, n): the threads'
  // ranges overlap. Striding by more than one (`i += nthreads`) or
  // stopping at a per-thread bound (`j < (id + 1) * chunk`) partitions.
  for (const Stmt *S : All) {
    const auto *For = dyn_cast<ForStmt>(S);
    const auto *Init = For ? dyn_cast_or_null<DeclStmt>(For->getInit()) : nullptr;
    if (!Init || !Init->isSingleDecl() || !For->getCond() || !For->getInc())
      continue;
    const auto *V = dyn_cast<VarDecl>(Init->getSingleDecl());
    if (!V || !llvm::is_contained(Locals, V) || !Info.PerThread.count(V))
      continue;
    SmallPtrSet<const ValueDecl *, 8> Others(Info.PerThread.begin(),
                                             Info.PerThread.end());
    Others.erase(V);
    if (mentionsAny(For->getCond(), Others))
      continue;
    const Expr *Inc = For->getInc()->IgnoreParenImpCasts();
    bool Unit = false;
    if (const auto *UO = dyn_cast<UnaryOperator>(Inc))
      Unit = UO->isIncrementDecrementOp();
    else if (const auto *BO = dyn_cast<BinaryOperator>(Inc);
             BO && BO->isCompoundAssignmentOp()) {
      Expr::EvalResult R;
      Unit = BO->getRHS()->EvaluateAsInt(R, V->getASTContext()) &&
             R.Val.getInt().abs() == 1;
    }
    if (Unit)
      Info.PerThread.erase(V);
  }
}

/// Binds a coroutine's body and parameters to the call \p Call that made
/// the coroutine object a crossing takes: a reference parameter shares the
/// lvalue it is bound to (as std::ref(x) does for a thread function), a
/// pointer parameter the object whose address it gets; any other parameter
/// is the coroutine's own copy.
static void bindCoroutineCall(const CallExpr *Call, ShareInfo &Info) {
  const FunctionDecl *Def = coroutineDefinition(Call->getDirectCallee());
  if (!Def)
    return;
  Info.Body = Def->getBody();
  Info.BodyFunction = Def;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    if (const Expr *Obj = MC->getImplicitObjectArgument()) {
      const Expr *E = Obj->IgnoreParenImpCasts();
      const auto *MD = cast<CXXMethodDecl>(Def);
      if (isa<CXXThisExpr>(E)) {
        Info.ThisAt = Obj->getExprLoc();
        Info.ThisClass = MD->getParent();
      } else if (const auto *DRE = dyn_cast<DeclRefExpr>(E);
                 DRE && isa<VarDecl>(DRE->getDecl()) &&
                 !MC->getImplicitObjectArgument()->getType()->isPointerType()) {
        Info.ThisObject = DRE->getDecl();
        Info.ThisObjectClass = MD->getParent();
        Info.Objects.push_back(
            {DRE->getDecl(), Obj->getExprLoc(), ShareVia::StdRef});
      }
    }
  unsigned Offset = isa<CXXOperatorCallExpr>(Call) &&
                            isa<CXXMethodDecl>(Def) &&
                            !cast<CXXMethodDecl>(Def)->isStatic()
                        ? 1
                        : 0;
  for (unsigned I = 0; I < Def->getNumParams(); ++I) {
    const ParmVarDecl *P = Def->getParamDecl(I);
    if (I + Offset >= Call->getNumArgs() ||
        isa<CXXDefaultArgExpr>(Call->getArg(I + Offset))) {
      Info.PerThread.insert(P);
      continue;
    }
    const Expr *A = Call->getArg(I + Offset);
    QualType PT = P->getType();
    if (PT->isReferenceType()) {
      // (IgnoreImplicit would skip the temporary itself.)
      const Expr *E = A;
      while (isa<ImplicitCastExpr, ParenExpr>(E))
        E = isa<ParenExpr>(E) ? cast<ParenExpr>(E)->getSubExpr()
                              : cast<ImplicitCastExpr>(E)->getSubExpr();
      if (isa<MaterializeTemporaryExpr>(E)) {
        Info.TemporaryArguments.push_back({P, A});
        continue;
      }
      if (const ValueDecl *D = declOf(valueSource(A)); D && isa<VarDecl>(D)) {
        Info.Objects.push_back({D, A->getExprLoc(), ShareVia::StdRef});
        Info.Alias[P] = D;
        continue;
      }
      continue;
    }
    if (PT->isPointerType())
      if (auto Shared = sharedByArgument(A)) {
        Info.Objects.push_back({Shared->first, A->getExprLoc(), Shared->second});
        Info.PointerAlias[P] = Shared->first;
        continue;
      }
    Info.PerThread.insert(P);
  }
}

ShareInfo sharesOf(const Crossing &C, ThreadFacts &Facts) {
  ASTContext &Ctx = Facts.context();
  ShareInfo Info;
  if (C.Values.empty())
    return Info;
  const CrossingValue &Callable = C.Values.front();
  SmallVector<const ParmVarDecl *, 4> Params;
  unsigned FirstArg = 1; // Values[FirstArg..] bind to Params[0..]

  // A coroutine given to the crossing (`spawn(pool, work(x))`): the other
  // thread runs its body, with its parameters bound at the call. A lambda
  // coroutine called on the spot is judged as the lambda.
  const LambdaExpr *CoLambda = nullptr;
  if (const CallExpr *CoCall = coroutineCall(Callable.Arg)) {
    const auto *OC = dyn_cast<CXXOperatorCallExpr>(CoCall);
    if (OC && OC->getNumArgs() >= 1)
      CoLambda = lambdaOf(OC->getArg(0));
    if (!CoLambda)
      bindCoroutineCall(CoCall, Info);
  }
  if (Info.Body) {
    // bound above
  } else if (const LambdaExpr *L =
                 CoLambda ? CoLambda : lambdaOf(Callable.Arg)) {
    Info.Body = L->getBody();
    for (const LambdaCapture &Cap : L->captures()) {
      switch (Cap.getCaptureKind()) {
      case LCK_This:
        Info.ThisAt = Cap.getLocation();
        break;
      case LCK_ByRef:
        if (Cap.capturesVariable())
          Info.Objects.push_back(
              {Cap.getCapturedVar(), Cap.getLocation(), ShareVia::RefCapture});
        break;
      case LCK_ByCopy:
      case LCK_StarThis:
        if (Cap.capturesVariable()) {
          const ValueDecl *V = Cap.getCapturedVar();
          // Every run of a parallel algorithm's callable sees one value of
          // a by-copy capture: it selects one element for all of them.
          if (!C.Parallel)
            Info.PerThread.insert(V);
          // A copy of a raw pointer points where the spawner's does: at a
          // named object when that is all it ever holds (`int *p = &x`).
          const auto *VD = dyn_cast<VarDecl>(V);
          const Expr *Fixed = VD ? fixedAddress(VD) : nullptr;
          if (Fixed) {
            const ValueDecl *X = declOf(cast<UnaryOperator>(Fixed)->getSubExpr());
            Info.PointerAlias[V] = X;
            Info.Objects.push_back({X, Cap.getLocation(), ShareVia::AddressOf});
          } else if (isSharedPointer(V)) {
            Info.PointeeOf[V] = V;
            Info.Objects.push_back({V, Cap.getLocation(), ShareVia::Pointee});
          }
          if (!sharedPointee(V->getType()).isNull()) {
            Info.SharedOwners.insert(V);
            Info.Objects.push_back(
                {V, Cap.getLocation(), ShareVia::SharedPointee});
          }
        }
        break;
      case LCK_VLAType:
        break;
      }
    }
    // `this` is the object of the member function the lambda is written in.
    if (Info.ThisAt.isValid()) {
      const DeclContext *DC = L->getLambdaClass()->getDeclContext();
      while (DC && !isa<CXXMethodDecl>(DC))
        DC = DC->getParent();
      if (const auto *MD = dyn_cast_or_null<CXXMethodDecl>(DC))
        Info.ThisClass = MD->getParent();
    }
    if (const CXXMethodDecl *Call = L->getCallOperator())
      Params.append(Call->param_begin(), Call->param_end());
  } else if (const auto *FD = dyn_cast_or_null<FunctionDecl>(
                 calledFunction(Callable.Arg, C.Call, Ctx))) {
    const FunctionDecl *Def = FD->getDefinition();
    if (Def && Def->hasBody()) {
      Info.Body = Def->getBody();
      Info.BodyFunction = Def;
      Params.append(Def->param_begin(), Def->param_end());
    }
  } else if (const FunctionDecl *Entry =
                 parameterEntry(Callable.Arg, Facts);
             Entry && Entry->getDefinition() &&
             Entry->getDefinition()->hasBody()) {
    const FunctionDecl *Def = Entry->getDefinition();
    Info.Body = Def->getBody();
    Info.BodyFunction = Def;
    Params.append(Def->param_begin(), Def->param_end());
  } else if (SmallVector<const FunctionDecl *, 4> Entries =
                 tableEntries(Callable.Arg);
             !Entries.empty()) {
    Info.TableIndex = cast<ArraySubscriptExpr>(
                          valueSource(Callable.Arg)->IgnoreParenImpCasts())
                          ->getIdx();
    for (const FunctionDecl *FD : Entries) {
      const FunctionDecl *Def = FD->getDefinition();
      if (!Def || !Def->hasBody())
        continue;
      if (!Info.Body) {
        Info.Body = Def->getBody();
        Info.BodyFunction = Def;
        Params.append(Def->param_begin(), Def->param_end());
      } else {
        Info.AlsoRuns.push_back(Def);
      }
    }
  } else if (const CXXMethodDecl *Call = functorCall(Callable.Arg, Ctx,
                                                     C.Values.size() - 1)) {
    // std::thread(std::ref(worker)): the thread runs worker's operator()
    // on the spawner's object. (A functor passed by value is the thread's
    // own copy.)
    Info.Body = Call->getBody();
    Info.BodyFunction = Call;
    Params.append(Call->param_begin(), Call->param_end());
    if (auto Shared = sharedByArgument(Callable.Arg)) {
      Info.ThisObject = Shared->first;
      Info.ThisObjectClass = Call->getParent();
      Info.Objects.push_back(
          {Shared->first, Callable.Arg->getExprLoc(), Shared->second});
    } else {
      bindFunctorMembers(Callable.Arg, Info);
    }
  } else if (const auto *UO = dyn_cast<UnaryOperator>(valueSource(Callable.Arg))) {
    // &Class::method, object: the object binds `this`.
    if (UO->getOpcode() == UO_AddrOf)
      if (const auto *MD = dyn_cast_or_null<CXXMethodDecl>(
              declOf(UO->getSubExpr())))
        if (const FunctionDecl *Def = MD->getDefinition();
            Def && Def->hasBody()) {
          Info.Body = Def->getBody();
          Info.BodyFunction = Def;
          Params.append(Def->param_begin(), Def->param_end());
          FirstArg = 2; // Values[1] is the object
          if (C.Values.size() > 1)
            bindObject(C.Values[1].Arg, MD->getParent(), Info);
        }
  }

  // pthread_create(t, attr, fn, arg): arg binds fn's only parameter.
  if (C.Kind == CrossingKind::PthreadCreate)
    FirstArg = 1;

  for (unsigned I = FirstArg; I < C.Values.size(); ++I) {
    const CrossingValue &V = C.Values[I];
    auto Shared = sharedByArgument(V.Arg);
    const ParmVarDecl *P =
        I - FirstArg < Params.size() ? Params[I - FirstArg] : nullptr;
    // `&res[0]`: one element of an array, the same for every thread given
    // it.
    if (auto Element = constantElement(V.Arg);
        !Shared && Element && P && P->getType()->isPointerType()) {
      Info.Objects.push_back(
          {Element->first, V.Arg->getExprLoc(), ShareVia::AddressOf});
      Info.PointerAlias[P] = Element->first;
      Info.ElementOf[P] = Element->second;
      bindArgumentBlock(V.Arg, P, Info);
      continue;
    }
    if (!Shared) {
      // A constant, or one cast to a pointer (`(void *)1`, the C idiom for
      // a thread's number).
      const Expr *Int = V.Arg;
      if (const auto *Cast = dyn_cast<CastExpr>(V.Arg->IgnoreParenImpCasts());
          Cast && (Cast->getCastKind() == CK_IntegralToPointer ||
                   Cast->getCastKind() == CK_NullToPointer) &&
          Cast->getSubExpr()->getType()->isIntegerType())
        Int = Cast->getSubExpr();
      Expr::EvalResult Value;
      if (P && !Int->isValueDependent() && Int->EvaluateAsInt(Value, Ctx) &&
          Value.Val.getInt().getSignificantBits() <= 62)
        Info.ConstantParams[P] = Value.Val.getInt().getSExtValue();
      // A copy of the spawner's pointer: its pointee is shared.
      if (const VarDecl *Ptr = sharedPointerVariable(V.Arg);
          Ptr && P && P->getType()->isPointerType()) {
        Info.Objects.push_back({Ptr, V.Arg->getExprLoc(), ShareVia::Pointee});
        Info.PointeeOf[P] = Ptr;
        continue;
      }
      if (P) {
        Info.PerThread.insert(P);
        if (P->getType()->isPointerType())
          bindArgumentBlock(V.Arg, P, Info);
        const Expr *E = valueSource(V.Arg)->IgnoreParenCasts();
        if (const auto *UO = dyn_cast<UnaryOperator>(E);
            UO && UO->getOpcode() == UO_AddrOf)
          if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(
                  UO->getSubExpr()->IgnoreParenImpCasts());
              ASE && !ASE->getIdx()->isValueDependent() &&
              !ASE->getIdx()->isEvaluatable(Ctx))
            Info.PerInstance.insert(P);
      }
      continue;
    }
    auto [Object, How] = *Shared;
    Info.Objects.push_back({Object, V.Arg->getExprLoc(), How});
    if (!P)
      continue;
    if (P->getType()->isReferenceType())
      Info.Alias[P] = Object;
    else if (P->getType()->isPointerType())
      Info.PointerAlias[P] = Object;
  }
  // Every parameter of the thread function that is not bound to a shared
  // object holds the thread's own value (thread(f, i) passes a copy of i).
  for (const ParmVarDecl *P : Params)
    if (!Info.Alias.count(P) && !Info.PointerAlias.count(P) &&
        !Info.PointeeOf.count(P))
      Info.PerThread.insert(P);
  // A coroutine's own statements, without the frame's implicit copies of
  // its parameters and the promise's calls around them.
  if (const auto *CB = dyn_cast_or_null<CoroutineBodyStmt>(Info.Body))
    Info.Body = CB->getBody();
  if (Info.Body) {
    followPointerCopies(Facts, Info);
    bindConstantLocals(Facts, Info);
  }
  findTicketIndices(Info.Body, Ctx, Info);
  derivePerThreadLocals(Info.Body, Info);
  return Info;
}

} // namespace sendsync
