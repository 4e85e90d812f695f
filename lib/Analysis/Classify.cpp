//===- Classify.cpp - what one reference to an object does to it ----------===//
//
// Whether a reference reads or writes, which members and elements it
// selects, and whether it touches data at all: through operators, calls
// (std containers by [container.requirements.dataraces], std and C library
// functions by their models, functions of the unit by their parameters),
// atomics, and the idioms that only take an address.
//
//===----------------------------------------------------------------------===//

#include "Analysis/ASTUtil.h"
#include "Analysis/Accesses.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;
using namespace llvm;

namespace sendsync {

/// The declaration an lvalue expression names: a variable, a field, or what
/// `&x` points at.
static const ValueDecl *namedObject(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_AddrOf)
    E = UO->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return DRE->getDecl();
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return ME->getMemberDecl();
  return nullptr;
}

/// Standard functions whose forwarding-reference parameters only pass their
/// arguments on to a constructor (which copies or moves from them).
static bool forwardsToConstructor(const FunctionDecl *FD) {
  if (!FD || !FD->getIdentifier())
    return false;
  const DeclContext *DC = FD->getDeclContext();
  while (DC && (DC->isInlineNamespace() || isa<CXXRecordDecl>(DC)))
    DC = DC->getParent();
  if (!DC || !DC->isStdNamespace())
    return false;
  static constexpr StringRef Names[] = {
      "make_unique", "make_shared", "allocate_shared", "make_optional",
      "emplace",     "emplace_back", "emplace_front", "emplace_hint",
      "try_emplace", "construct_at", "make_pair",     "make_tuple"};
  return llvm::is_contained(Names, FD->getName());
}

static bool writesThroughParam(QualType PT) {
  if (const auto *RT = PT->getAs<ReferenceType>())
    return !RT->getPointeeType().isConstQualified();
  return false;
}

/// Whether a function may write what an argument for a parameter of type
/// \p PT points to: a pointer to non-const data (`void *dst` of memset).
static bool writesThroughPointer(QualType PT) {
  return PT->isPointerType() && !PT->getPointeeType().isConstQualified() &&
         !PT->getPointeeType()->isFunctionType();
}

namespace {

/// [container.requirements.dataraces]: for data races, begin, end, rbegin,
/// rend, front, back, data, find, lower_bound, upper_bound, equal_range, at
/// and (outside associative containers) operator[] count as const.
enum class ContainerMember { Other, Lookup, Element };

bool isAssociative(const CXXMethodDecl *MD) {
  if (!MD)
    return false;
  StringRef N = MD->getParent()->getName();
  return isStdClass(MD->getParent(), {MD->getParent()->getName()}) &&
         (N.contains("map") || N.contains("set"));
}

ContainerMember containerMemberKind(const CXXMethodDecl *MD) {
  const CXXRecordDecl *RD = MD->getParent();
  if (!MD->getIdentifier() || !RD->getIdentifier() ||
      !isStdClass(RD, {RD->getName()}))
    return ContainerMember::Other;
  StringRef N = MD->getName();
  if (N == "at" || N == "front" || N == "back")
    return ContainerMember::Element;
  if (N == "begin" || N == "end" || N == "rbegin" || N == "rend" ||
      N == "data" || N == "find" || N == "lower_bound" ||
      N == "upper_bound" || N == "equal_range")
    return ContainerMember::Lookup;
  return ContainerMember::Other;
}

/// For an iterator given as argument \p I of the standard algorithm \p FD
/// (of \p NumArgs arguments): whether the algorithm writes the elements
/// it ranges over (std::fill(v.begin(), v.end(), x), the destination of
/// std::copy); none when \p FD is not a standard algorithm.
std::optional<bool> algorithmWrites(const FunctionDecl *FD, unsigned I,
                                    unsigned NumArgs) {
  if (!FD || !FD->getIdentifier() || !inStd(FD) || isa<CXXMethodDecl>(FD))
    return std::nullopt;
  StringRef N = FD->getName();
  static constexpr StringRef InPlace[] = {
      "fill", "generate", "iota", "sort", "stable_sort", "partial_sort",
      "nth_element", "reverse", "rotate", "shuffle", "replace", "replace_if",
      "remove", "remove_if", "unique", "next_permutation",
      "prev_permutation", "make_heap", "push_heap", "pop_heap", "sort_heap",
      "inplace_merge", "partition", "stable_partition", "swap_ranges"};
  static constexpr StringRef OutputAt2[] = {
      "copy", "copy_if", "copy_n", "copy_backward", "move", "move_backward",
      "reverse_copy", "unique_copy", "partial_sum", "adjacent_difference",
      "inclusive_scan", "exclusive_scan", "remove_copy", "remove_copy_if",
      "replace_copy", "replace_copy_if"};
  static constexpr StringRef OutputAt4[] = {
      "merge", "set_union", "set_intersection", "set_difference",
      "set_symmetric_difference"};
  static constexpr StringRef Reads[] = {
      "accumulate", "reduce", "find", "find_if", "find_if_not", "count",
      "count_if", "equal", "mismatch", "all_of", "any_of", "none_of",
      "min_element", "max_element", "minmax_element", "search",
      "lower_bound", "upper_bound", "binary_search", "equal_range",
      "is_sorted", "inner_product", "transform_reduce", "includes",
      "adjacent_find", "lexicographical_compare", "distance", "for_each"};
  if (llvm::is_contained(InPlace, N))
    return I <= 1 || (N == "swap_ranges" && I == 2);
  if (N == "fill_n" || N == "generate_n")
    return I == 0;
  if (llvm::is_contained(OutputAt2, N))
    return I == 2;
  if (N == "transform")
    return I == (NumArgs >= 5 ? 3u : 2u);
  if (N == "rotate_copy")
    return I == 3;
  if (llvm::is_contained(OutputAt4, N))
    return I == 4;
  if (llvm::is_contained(Reads, N))
    return false;
  return std::nullopt;
}

/// What a function does with the object a pointer argument points to.
enum class PointerUse { None, Read, Write, Atomic, AtomicRead, Unknown };

/// The C, POSIX and compiler functions whose pointer arguments are known:
/// pthread_mutex_lock(&m) and pthread_barrier_wait(&b) touch no data of the
/// caller's, printf("%p", &g) reads, memset(&x, ...) writes.
PointerUse pointerArgUse(const FunctionDecl *FD, unsigned I) {
  if (!FD || !FD->getIdentifier())
    return PointerUse::Unknown;
  StringRef N = FD->getName();
  if (N.starts_with("__atomic_load"))
    return PointerUse::AtomicRead;
  if (N.starts_with("__atomic_") || N.starts_with("__sync_") ||
      N.starts_with("atomic_") || N.starts_with("__c11_atomic_"))
    return PointerUse::Atomic;
  if (N == "pthread_create")
    return I == 0 ? PointerUse::Write : PointerUse::None;
  if (N == "pthread_join" || N == "pthread_tryjoin_np" ||
      N == "pthread_timedjoin_np")
    return I == 1 ? PointerUse::Write : PointerUse::None;
  if (N.starts_with("pthread_") || N.starts_with("sem_") ||
      N.starts_with("mtx_") || N.starts_with("cnd_") ||
      N.starts_with("thrd_") || N == "call_once")
    return PointerUse::None;
  static constexpr StringRef Reads[] = {
      "printf", "fprintf", "dprintf", "puts", "fputs", "strlen", "strnlen",
      "strcmp", "strncmp", "memcmp", "strchr", "strrchr", "strstr", "atoi",
      "atol", "atoll", "atof", "strtol", "strtoul", "strtoll", "strtoull",
      "strtod", "strtof", "fwrite", "write", "send", "sendto", "perror",
      "strdup", "strndup", "free", "__assert_fail", "abs", "memchr"};
  if (llvm::is_contained(Reads, N))
    return PointerUse::Read;
  // The destination argument is written, the others read.
  static constexpr std::pair<StringRef, unsigned> Dest[] = {
      {"memset", 0},  {"memcpy", 0},   {"memmove", 0},   {"strcpy", 0},
      {"strncpy", 0}, {"strcat", 0},   {"strncat", 0},   {"sprintf", 0},
      {"snprintf", 0}, {"vsnprintf", 0}, {"vsprintf", 0}, {"bzero", 0},
      {"read", 1},    {"recv", 1},     {"fread", 0},     {"fgets", 0},
      {"time", 0},    {"gettimeofday", 0}, {"clock_gettime", 1},
      {"localtime_r", 1}, {"gmtime_r", 1}};
  for (const auto &[Name, Arg] : Dest)
    if (N == Name)
      return I == Arg ? PointerUse::Write : PointerUse::Read;
  if (N == "scanf")
    return I >= 1 ? PointerUse::Write : PointerUse::Read;
  if (N == "sscanf" || N == "fscanf")
    return I >= 2 ? PointerUse::Write : PointerUse::Read;
  return PointerUse::Unknown;
}

class Classifier {
public:
  Classifier(const ParentMap &PM, function_ref<bool(const ValueDecl *)> PerThread,
             function_ref<bool(const FunctionDecl *)> Summarized)
      : PM(PM), PerThread(PerThread), Summarized(Summarized) {}

  bool summarized(const FunctionDecl *FD) {
    return hasWrittenBody(FD) && Summarized(FD);
  }

  /// Whether the access at \p E writes its object; sets \p Distinct when it
  /// goes through an element with a per-thread index.
  /// Where an access through pointer member \p Load (the read of the
  /// pointer, the last step of A's path being a data member or a pointee
  /// itself, as in **node_.indirect) reaches the
  /// pointee's member or the pointee itself, after adding the steps to A's
  /// path; null for any other use of the pointer (a method called through
  /// it, an index, a copy).
  const Expr *fieldPointeeStep(const ImplicitCastExpr *Load, Access &A) {
    QualType T = Load->getType();
    if (A.Path.empty() ||
        !(isMemberStep(A.Path.back()) || A.Path.back() == derefStep()) ||
        !T->isPointerType() || T->getPointeeType()->isFunctionType() ||
        T->getPointeeType()->isVoidType())
      return nullptr;
    const Stmt *Up = PM.getParent(Load);
    while (Up && isa<ParenExpr>(Up))
      Up = PM.getParent(Up);
    if (const auto *ME = dyn_cast_or_null<MemberExpr>(Up);
        ME && ME->isArrow() && ME->getBase()->IgnoreParens() == Load)
      if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl())) {
        A.Path.push_back(derefStep());
        A.Path.push_back(F);
        return ME;
      }
    if (const auto *UO = dyn_cast_or_null<UnaryOperator>(Up);
        UO && UO->getOpcode() == UO_Deref) {
      A.Path.push_back(derefStep());
      return UO;
    }
    return nullptr;
  }

  bool isWrite(const Expr *E, Access &A) {
    bool &Distinct = A.DistinctElement;
    const Stmt *Cur = E;
    bool Decayed = false;
    Distinct = false;
    // Records the element a subscript-like access reaches.
    auto EnterElement = [&](const Expr *Elem, const Expr *Container,
                             const Expr *Index) {
      A.Element = true;
      if (!A.Index)
        A.Index = Index;
      // Members selected from the element follow it: ws[i].th, ws[i].id.
      A.Path.push_back(nullptr);
      A.ElementType = Elem->getType().getNonReferenceType();
      // vector<bool> packs elements into shared words: distinct indices
      // still race ([container.requirements.dataraces]).
      bool Packed = false;
      if (const auto *RD = Container->getType()
                               .getNonReferenceType()
                               ->getAsCXXRecordDecl())
        if (const auto *CTSD = dyn_cast<ClassTemplateSpecializationDecl>(RD))
          if (CTSD->getName() == "vector" && CTSD->getTemplateArgs().size() &&
              CTSD->getTemplateArgs()[0].getKind() == TemplateArgument::Type &&
              CTSD->getTemplateArgs()[0].getAsType()->isBooleanType())
            Packed = true;
      if (Index && !Packed)
        Distinct |= perThread(Index);
    };
    for (;;) {
      const Stmt *P = PM.getParent(Cur);
      if (!P)
        return false;
      if (const auto *ICE = dyn_cast<ImplicitCastExpr>(P)) {
        if (ICE->getCastKind() == CK_LValueToRValue) {
          // A pointer member read to reach its pointee (node_.next->w,
          // (*node_.next).u): the access continues there, as a path
          // through the pointer (RacerD's access paths), so two threads
          // writing node_.next->w through one shared object conflict.
          if (const Expr *Pointee = fieldPointeeStep(ICE, A)) {
            Cur = Pointee;
            continue;
          }
          return false;
        }
        if (ICE->getCastKind() == CK_ArrayToPointerDecay)
          Decayed = true;
        Cur = P;
        continue;
      }
      if (isa<ParenExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr,
              ExprWithCleanups, FullExpr>(P)) {
        Cur = P;
        continue;
      }
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(P)) {
        // Cur is the callee, p->method(): a call on the pointee.
        if (MC->getCallee() == Cur)
          if (const CXXMethodDecl *MD = MC->getMethodDecl()) {
            if (summarized(MD)) {
              A.UseOnly = true;
              return false;
            }
            if (MD->isStatic() || MD->isConst())
              return false;
            // sp->at(i).store(1): an element of the pointee.
            switch (containerMemberKind(MD)) {
            case ContainerMember::Other:
              return true;
            case ContainerMember::Lookup:
              return false;
            case ContainerMember::Element:
              EnterElement(MC, MC->getImplicitObjectArgument(),
                           MC->getNumArgs() == 1 ? MC->getArg(0) : nullptr);
              Cur = MC;
              continue;
            }
          }
        return false;
      }
      if (const auto *ME = dyn_cast<MemberExpr>(P)) {
        if (ME->getBase()->IgnoreParenImpCasts() != Cur &&
            ME->getBase() != Cur)
          return false;
        if (const auto *MD = dyn_cast<CXXMethodDecl>(ME->getMemberDecl())) {
          // The callee's summary says what it touches, member by member.
          if (summarized(MD)) {
            A.UseOnly = true;
            return false;
          }
          if (MD->isStatic() || MD->isConst())
            return false;
          switch (containerMemberKind(MD)) {
          case ContainerMember::Other:
            return true;
          case ContainerMember::Lookup: {
            // v.begin() given to a standard algorithm: it reads or writes
            // the elements, not only the container's structure.
            const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(PM.getParent(ME));
            std::optional<bool> W = Call ? iteratorUse(Call) : std::nullopt;
            if (!W)
              return false;
            A.Element = true;
            A.Path.push_back(nullptr);
            return *W;
          }
          case ContainerMember::Element: {
            // v.at(i) = x, v.front() = x: a write to an element.
            const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(PM.getParent(ME));
            if (!Call)
              return false;
            EnterElement(Call, ME->getBase(),
                         Call->getNumArgs() == 1 ? Call->getArg(0) : nullptr);
            Cur = Call;
            continue;
          }
          }
        }
        if (ME->isArrow())
          return false; // writes through a pointer write the pointee
        if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl()))
          A.Path.push_back(F);
        Cur = P;
        continue;
      }
      if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(P)) {
        // Cur may be the array-to-pointer decay of an array's name.
        if (ASE->getBase() != Cur &&
            ASE->getBase()->IgnoreParenImpCasts() != Cur)
          return false;
        if (ASE->getBase()->getType()->isPointerType() &&
            !isa<ArrayType>(ASE->getBase()->IgnoreParenImpCasts()
                                ->getType()
                                .getCanonicalType()))
          return false;
        EnterElement(ASE, ASE->getBase(), ASE->getIdx());
        Cur = P;
        continue;
      }
      if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(P)) {
        if (OC->getOperator() == OO_Subscript && OC->getNumArgs() == 2 &&
            (OC->getArg(0) == Cur ||
             OC->getArg(0)->IgnoreParenImpCasts() == Cur) &&
            !isAssociative(dyn_cast_or_null<CXXMethodDecl>(OC->getCalleeDecl()))) {
          EnterElement(OC, OC->getArg(0), OC->getArg(1));
          Cur = P;
          continue;
        }
        for (unsigned I = 0; I < OC->getNumArgs(); ++I) {
          if (OC->getArg(I)->IgnoreParenImpCasts() != Cur &&
              OC->getArg(I) != Cur)
            continue;
          if (summarized(dyn_cast_or_null<FunctionDecl>(OC->getCalleeDecl()))) {
            A.UseOnly = true;
            return false;
          }
          const auto *MD = dyn_cast_or_null<CXXMethodDecl>(OC->getCalleeDecl());
          if (MD && I == 0)
            return !MD->isConst();
          const auto *FD = dyn_cast_or_null<FunctionDecl>(OC->getCalleeDecl());
          unsigned PI = MD ? I - 1 : I;
          return FD && PI < FD->getNumParams() &&
                 writesThroughParam(FD->getParamDecl(PI)->getType());
        }
        return false;
      }
      if (const auto *UO = dyn_cast<UnaryOperator>(P)) {
        if (UO->isIncrementDecrementOp())
          return true;
        // Taking the address lets the pointer's user write; without
        // following it, that counts as a write unless the pointer is to const.
        if (UO->getOpcode() == UO_AddrOf) {
          // &x is no access by itself: what the pointer's user does is.
          if (std::optional<bool> W = addressUse(UO, A))
            return *W;
          return !UO->getType()->getPointeeType().isConstQualified() &&
                 !pointerGoesToConst(UO);
        }
        return false;
      }
      if (const auto *BO = dyn_cast<BinaryOperator>(P)) {
        return BO->isAssignmentOp() &&
               BO->getLHS()->IgnoreParenImpCasts() == Cur;
      }
      if (const auto *CE = dyn_cast<CallExpr>(P)) {
        const FunctionDecl *FD = CE->getDirectCallee();
        // std::forward(x), std::move(x), std::as_const(x) hand x on: what
        // is done with their result is done with x.
        if (CE->getNumArgs() == 1 && FD && FD->getIdentifier() &&
            (FD->getName() == "forward" || FD->getName() == "move" ||
             FD->getName() == "as_const") &&
            inStd(FD) &&
            (CE->getArg(0)->IgnoreParenImpCasts() == Cur ||
             CE->getArg(0) == Cur)) {
          Cur = P;
          continue;
        }
        for (unsigned I = 0; I < CE->getNumArgs(); ++I)
          if (CE->getArg(I)->IgnoreParenImpCasts() == Cur ||
              CE->getArg(I) == Cur) {
            if (summarized(FD)) {
              A.UseOnly = true;
              return false;
            }
            if (!FD || I >= FD->getNumParams() || forwardsToConstructor(FD))
              return false;
            QualType PT = FD->getParamDecl(I)->getType();
            // memset(buf, ...): an array given to a pointer to non-const.
            return writesThroughParam(PT) ||
                   (Decayed && writesThroughPointer(PT));
          }
        return false;
      }
      if (const auto *CE = dyn_cast<CXXConstructExpr>(P)) {
        const CXXConstructorDecl *Ctor = CE->getConstructor();
        // std::atomic_ref<T>(x).op(): an atomic access, a write unless op
        // is load().
        if (Ctor && isStdClass(Ctor->getParent(), {"atomic_ref"})) {
          A.Atomic = true;
          const Stmt *Up = PM.getParent(CE);
          while (Up && isa<MaterializeTemporaryExpr, ImplicitCastExpr,
                           CXXFunctionalCastExpr, ParenExpr>(Up))
            Up = PM.getParent(Up);
          if (const auto *ME = dyn_cast_or_null<MemberExpr>(Up))
            if (const auto *MD = dyn_cast<CXXMethodDecl>(ME->getMemberDecl()))
              return !(MD->getIdentifier() && MD->getName() == "load");
          return true;
        }
        for (unsigned I = 0; I < CE->getNumArgs(); ++I)
          if (CE->getArg(I)->IgnoreParenImpCasts() == Cur ||
              CE->getArg(I) == Cur) {
            if (summarized(Ctor)) {
              A.UseOnly = true;
              return false;
            }
            return Ctor && I < Ctor->getNumParams() &&
                   writesThroughParam(Ctor->getParamDecl(I)->getType());
          }
        return false;
      }
      if (const auto *DS = dyn_cast<DeclStmt>(P)) {
        // for (T x : v): the hidden `auto &&__range = v` binds v, and what
        // the loop does to v's elements depends on x's type.
        if (const auto *FR = dyn_cast_or_null<CXXForRangeStmt>(PM.getParent(DS));
            FR && FR->getRangeStmt() == DS)
          return loopWritesElements(FR, A);
        for (const Decl *D : DS->decls())
          if (const auto *VD = dyn_cast<VarDecl>(D))
            if (VD->getInit() && VD->getInit()->IgnoreParenImpCasts() == Cur)
              return writesThroughParam(VD->getType());
        return false;
      }
      if (const auto *FR = dyn_cast<CXXForRangeStmt>(P)) {
        // for (auto &x : v) may write v's elements.
        if (FR->getRangeInit() &&
            FR->getRangeInit()->IgnoreParenImpCasts() == Cur)
          return loopWritesElements(FR, A);
        return false;
      }
      return false;
    }
  }

  /// for (auto &x : v): v's elements are written only if the body writes
  /// through x (x = y, x.push(...)); reading them, or calling through a
  /// pointer element (x->log()), writes nothing of v.
  bool loopWritesElements(const CXXForRangeStmt *FR, Access &A) {
    const VarDecl *X = FR->getLoopVariable();
    if (!writesThroughParam(X->getType()) || !FR->getBody())
      return false;
    bool Writes = false;
    // The members every write selects from x (`x.thread.join()` writes
    // x.thread only): their common prefix, so that a loop joining each
    // element's thread does not conflict with the elements' other members.
    std::optional<SmallVector<const FieldDecl *, 2>> Common;
    SmallVector<const Stmt *, 32> Work{FR->getBody()};
    while (!Work.empty()) {
      const Stmt *S = Work.pop_back_val();
      if (!S)
        continue;
      for (const Stmt *C : S->children())
        Work.push_back(C);
      const auto *DRE = dyn_cast<DeclRefExpr>(S);
      if (!DRE || DRE->getDecl() != X)
        continue;
      Access Use{DRE, X};
      if (!isWrite(DRE, Use) && !Use.UseOnly)
        continue;
      Writes = true;
      SmallVector<const FieldDecl *, 2> Members;
      const Stmt *Cur = DRE;
      for (const Stmt *P = PM.getParent(Cur); P; P = PM.getParent(P)) {
        if (isa<ImplicitCastExpr, ParenExpr>(P))
          continue;
        const auto *ME = dyn_cast<MemberExpr>(P);
        const auto *F = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
        if (!F || ME->isArrow())
          break;
        Members.push_back(F);
      }
      if (!Common) {
        Common = Members;
      } else {
        size_t N = 0;
        while (N < Common->size() && N < Members.size() &&
               (*Common)[N] == Members[N])
          ++N;
        Common->resize(N);
      }
    }
    if (Writes) {
      A.Element = true;
      A.Path.push_back(nullptr);
      A.Path.append(Common->begin(), Common->end());
    }
    return Writes;
  }

  /// For an iterator \p It (v.begin()) handed, possibly copied, to a
  /// standard algorithm: whether the algorithm writes through it.
  std::optional<bool> iteratorUse(const Expr *It) {
    const Stmt *Cur = It;
    const Stmt *P = PM.getParent(It);
    while (P && (isa<ImplicitCastExpr, MaterializeTemporaryExpr,
                     CXXBindTemporaryExpr, ParenExpr>(P) ||
                 (isa<CXXConstructExpr>(P) &&
                  cast<CXXConstructExpr>(P)->getNumArgs() == 1))) {
      Cur = P;
      P = PM.getParent(P);
    }
    const auto *CE = dyn_cast_or_null<CallExpr>(P);
    if (!CE)
      return std::nullopt;
    // std::sort(std::execution::par, first, last): the policy comes first.
    unsigned Policy = 0;
    if (CE->getNumArgs() > 0)
      if (const auto *RD = CE->getArg(0)->getType()->getAsCXXRecordDecl();
          RD && RD->getIdentifier() && RD->getName().ends_with("_policy"))
        Policy = 1;
    for (unsigned I = Policy; I < CE->getNumArgs(); ++I)
      if (CE->getArg(I) == Cur)
        return algorithmWrites(CE->getDirectCallee(), I - Policy,
                               CE->getNumArgs() - Policy);
    return std::nullopt;
  }

  /// For pointer \p E given to a function that has no summary
  /// (memset(p, ...), free(p), a library call): whether the function may
  /// write what it points to; none when \p E is not such an argument.
  std::optional<bool> pointeeByCall(const Expr *E) {
    // A C stream: stdio locks each FILE for every call ([POSIX flockfile]),
    // so fprintf(stderr, ...) from two threads is no data race.
    if (E->getType()->isPointerType())
      if (const auto *RD = E->getType()->getPointeeType()->getAsRecordDecl();
          RD && RD->getIdentifier() &&
          llvm::is_contained({"_IO_FILE", "__sFILE", "FILE"}, RD->getName()))
        return std::nullopt;
    const Stmt *Cur = E;
    const Stmt *P = PM.getParent(E);
    while (P && isa<CastExpr, ParenExpr>(P)) {
      Cur = P;
      P = PM.getParent(P);
    }
    // delete p ends the pointee's lifetime: a write, as free(p) is.
    if (isa_and_nonnull<CXXDeleteExpr>(P))
      return true;
    const auto *CE = dyn_cast_or_null<CallExpr>(P);
    const FunctionDecl *FD = CE ? CE->getDirectCallee() : nullptr;
    if (!FD || summarized(FD) || isa<CXXOperatorCallExpr>(CE))
      return std::nullopt;
    for (unsigned I = 0; I < CE->getNumArgs() && I < FD->getNumParams(); ++I)
      if (CE->getArg(I) == Cur) {
        QualType PT = FD->getParamDecl(I)->getType();
        if (!PT->isPointerType())
          return std::nullopt;
        return writesThroughPointer(PT);
      }
    return std::nullopt;
  }

  /// The expression dereferencing pointer \p E (*E, E->m, E[i]), if any.
  const Expr *dereferenceOf(const Expr *E) {
    // An atomic pointer's value loaded and dereferenced in place
    // (`*head.load() = 2`, `head.load()->next`, `*head` through its
    // conversion): what it points to.
    if (!atomicPointee(E->getType()).isNull())
      if (const Expr *Loaded = loadedInPlace(E))
        E = Loaded;
    const Stmt *P = PM.getParent(E);
    // Through conversions of the pointer, implicit or written:
    // `*static_cast<long *>(arg)`, `((struct args *)arg)->out`; C's
    // `*head` loads an `_Atomic(T *)` (seq_cst).
    while (P && isa<CastExpr, ParenExpr>(P)) {
      if (const auto *CE = dyn_cast<CastExpr>(P);
          CE && CE->getCastKind() != CK_LValueToRValue &&
          CE->getCastKind() != CK_AtomicToNonAtomic &&
          CE->getCastKind() != CK_NoOp && CE->getCastKind() != CK_BitCast &&
          CE->getCastKind() != CK_UncheckedDerivedToBase &&
          CE->getCastKind() != CK_DerivedToBase)
        return nullptr;
      P = PM.getParent(P);
    }
    if (const auto *UO = dyn_cast_or_null<UnaryOperator>(P);
        UO && UO->getOpcode() == UO_Deref)
      return UO;
    // A smart pointer: *p and p->m through its operators.
    if (const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(P);
        OC && OC->getNumArgs() == 1) {
      if (OC->getOperator() == OO_Star)
        return OC;
      if (OC->getOperator() == OO_Arrow) {
        const Stmt *Up = PM.getParent(OC);
        while (Up && isa<ImplicitCastExpr, ParenExpr>(Up))
          Up = PM.getParent(Up);
        if (const auto *ME = dyn_cast_or_null<MemberExpr>(Up))
          return ME;
      }
    }
    if (const auto *ME = dyn_cast_or_null<MemberExpr>(P); ME && ME->isArrow())
      return ME;
    if (const auto *ASE = dyn_cast_or_null<ArraySubscriptExpr>(P))
      return ASE;
    return nullptr;
  }

  /// The value of the std::atomic pointer \p E loads where it is used
  /// (`E.load()`, `E` converted to its pointer), or null.
  const Expr *loadedInPlace(const Expr *E) {
    const Stmt *P = PM.getParent(E);
    // (libc++ declares load() and the conversion in a base class of
    // std::atomic: the object is cast to it first.)
    auto Passes = [](const Stmt *S) {
      if (isa<ParenExpr>(S))
        return true;
      const auto *ICE = dyn_cast<ImplicitCastExpr>(S);
      return ICE && (ICE->getCastKind() == CK_NoOp ||
                     ICE->getCastKind() == CK_UncheckedDerivedToBase ||
                     ICE->getCastKind() == CK_DerivedToBase);
    };
    while (P && Passes(P))
      P = PM.getParent(P);
    const auto *ME = dyn_cast_or_null<MemberExpr>(P);
    const auto *MC = ME ? dyn_cast_or_null<CXXMemberCallExpr>(PM.getParent(ME))
                        : nullptr;
    const CXXMethodDecl *MD = MC ? MC->getMethodDecl() : nullptr;
    if (!MD || MC->getCallee()->IgnoreParens() != ME)
      return nullptr;
    if (MD->getIdentifier() && MD->getName() == "load")
      return MC;
    if (isa<CXXConversionDecl>(MD)) {
      // The conversion's call sits under the implicit cast that asks it.
      const Expr *Out = MC;
      if (const auto *ICE =
              dyn_cast_or_null<ImplicitCastExpr>(PM.getParent(MC));
          ICE && ICE->getCastKind() == CK_UserDefinedConversion)
        Out = ICE;
      return Out;
    }
    return nullptr;
  }

  /// The atomics released after \p E and acquired before it, in every
  /// enclosing block. \p Of gives what each statement does with atomics
  /// (found once per statement, so that every access of a block does not
  /// read its siblings' subtrees again).
  void atomicsAround(const Expr *E, const Stmt *Body, AtomicsOf Of,
                     Access &A) {
    // With Fenced, a relaxed store (load) counts too: a release fence
    // before it (an acquire fence after it) gives it the order it lacks.
    auto Collect = [](const StatementAtomics &SA,
                      SmallVectorImpl<const ValueDecl *> &Out, bool Release,
                      bool Fenced) {
      for (const StatementAtomics::Op &Op : SA.Ops)
        if (Release ? (Op.Release || (Fenced && Op.Stores))
                    : (Op.Acquire || (Fenced && Op.Loads)))
          Out.push_back(Op.Object);
    };
    // A fence met on the way out lends its order to the relaxed operations
    // beyond it: an acquire fence before the access makes every relaxed
    // load before the fence an acquire; a release fence after it makes
    // every relaxed store after the fence a release ([atomics.fences]).
    bool AcquireFenced = false, ReleaseFenced = false;
    forEachEnclosing(PM, E, Body, [&](const Stmt *P, const Stmt *Child) {
      if (const auto *CS = dyn_cast<CompoundStmt>(P)) {
        ArrayRef<Stmt *> Stmts(CS->body_begin(), CS->body_end());
        size_t At = 0;
        while (At < Stmts.size() && Stmts[At] != Child)
          ++At;
        // Before the access: loads that acquire, and relaxed ones before
        // the last acquire fence.
        size_t LastFence = Stmts.size();
        for (size_t I = 0; I < At; ++I)
          if (Of(Stmts[I]).AcquireFence)
            LastFence = I;
        for (size_t I = 0; I < At; ++I)
          Collect(Of(Stmts[I]), A.AcquiredBefore, /*Release=*/false,
                  AcquireFenced ||
                      (LastFence != Stmts.size() && I < LastFence));
        AcquireFenced |= LastFence != Stmts.size();
        // After it: stores that release, and relaxed ones after a release
        // fence.
        for (size_t I = At + 1; I < Stmts.size(); ++I) {
          const StatementAtomics &SA = Of(Stmts[I]);
          Collect(SA, A.ReleasedAfter, /*Release=*/true, ReleaseFenced);
          ReleaseFenced |= SA.ReleaseFence;
        }
      } else if (const auto *L = dyn_cast<LambdaExpr>(P)) {
        // Inside std::call_once(flag, [&] {...}): the initialization
        // happens before every return from a call_once on that flag.
        const Stmt *Up = PM.getParent(L);
        while (Up && isa<MaterializeTemporaryExpr, ImplicitCastExpr>(Up))
          Up = PM.getParent(Up);
        // Callers on one flag are also mutually excluded while it runs.
        if (const auto *Call = dyn_cast_or_null<CallExpr>(Up))
          if (const ValueDecl *Flag = callOnceFlag(Call)) {
            A.ReleasedAfter.push_back(Flag);
            AccessPath P;
            P.Root = Flag;
            A.Locks.push_back({P, false});
          }
      } else if (isa<WhileStmt, IfStmt>(P)) {
        // while (!ready.load()) {...}: the condition acquires before the body.
        const Expr *Cond = isa<WhileStmt>(P) ? cast<WhileStmt>(P)->getCond()
                                             : cast<IfStmt>(P)->getCond();
        if (Cond)
          Collect(Of(Cond), A.AcquiredBefore, /*Release=*/false,
                  AcquireFenced);
      }
      return true;
    });
  }

  /// What \p S does with atomics: each operation, with the order it has
  /// by itself, and whether it holds a fence of either kind.
  static StatementAtomics statementAtomics(const Stmt *S) {
    StatementAtomics Out;
    SmallVector<const Stmt *, 16> Work{S};
    while (!Work.empty()) {
      const Stmt *Cur = Work.pop_back_val();
      if (!Cur || isa<LambdaExpr>(Cur))
        continue;
      nodeAtomics(Cur, Out);
      pushChildren(Work, Cur);
    }
    return Out;
  }

  /// Whether the node \p S is an atomic operation, a fence or a
  /// `call_once`, whatever object it names.
  static bool mayBeAtomic(const Stmt *S) {
    if (atomicOpOf(S) || fenceOf(S))
      return true;
    // Whether a semaphore's acquire() orders depends on the semaphore
    // (startsWithTokens), not only on the callee.
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
      if (const CXXMethodDecl *MD = MC->getMethodDecl();
          MD && isStdClass(MD->getParent(), {"counting_semaphore"}))
        return true;
    const auto *Call = dyn_cast<CallExpr>(S);
    const auto *FD =
        Call ? dyn_cast_or_null<FunctionDecl>(Call->getCalleeDecl()) : nullptr;
    return FD && FD->getIdentifier() && FD->getName() == "call_once";
  }

  /// Adds to \p Out what the node \p S itself does with atomics.
  static void nodeAtomics(const Stmt *S, StatementAtomics &Out) {
    if (std::optional<AtomicOp> Op = atomicOpOf(S); Op && Op->Object)
      Out.Ops.push_back(
          {Op->Object, Op->Loads, Op->Stores, Op->acquire(), Op->release()});
    if (const auto *Call = dyn_cast<CallExpr>(S))
      // Returning from std::call_once acquires what the call that ran the
      // initialization released.
      if (const ValueDecl *Flag = callOnceFlag(Call))
        Out.Ops.push_back({Flag, false, false, /*Acquire=*/true, false});
    if (std::optional<Order> O = fenceOf(S)) {
      Out.AcquireFence |= acquires(*O);
      Out.ReleaseFence |= releases(*O);
    }
  }

private:
  bool perThread(const Expr *Idx) {
    if (const auto *DRE =
            dyn_cast<DeclRefExpr>(Idx->IgnoreParenImpCasts()))
      return PerThread(DRE->getDecl());
    return false;
  }

  /// Whether \p E is a member of a local struct, or of an element of a
  /// local array of them, reached through no pointer: `args[i].total`.
  static bool inLocalBlock(const Expr *E) {
    E = E->IgnoreParenImpCasts();
    if (!isa<MemberExpr>(E))
      return false;
    for (;;) {
      if (const auto *ME = dyn_cast<MemberExpr>(E)) {
        if (ME->isArrow())
          return false;
        E = ME->getBase()->IgnoreParenImpCasts();
      } else if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E)) {
        E = ASE->getBase()->IgnoreParenImpCasts();
        if (!E->getType()->isArrayType())
          return false;
      } else {
        break;
      }
    }
    const auto *DRE = dyn_cast<DeclRefExpr>(E);
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    return VD && VD->hasLocalStorage() && !isa<ParmVarDecl>(VD) &&
           !VD->getType()->isReferenceType();
  }

  bool pointerGoesToConst(const UnaryOperator *UO) {
    const Stmt *P = PM.getParent(UO);
    while (P && isa<ImplicitCastExpr, ParenExpr>(P)) {
      if (const auto *ICE = dyn_cast<ImplicitCastExpr>(P))
        if (ICE->getType()->isPointerType() &&
            ICE->getType()->getPointeeType().isConstQualified())
          return true;
      P = PM.getParent(P);
    }
    return false;
  }

  /// The once_flag of a std::call_once call, or null.
  static const ValueDecl *callOnceFlag(const CallExpr *Call) {
    const FunctionDecl *FD = Call->getDirectCallee();
    if (!FD || !FD->getIdentifier() || FD->getName() != "call_once" ||
        Call->getNumArgs() < 2)
      return nullptr;
    return namedObject(Call->getArg(0));
  }

  enum class Order : uint8_t { Relaxed, Acquire, Release, AcqRel, SeqCst };

  /// The memory order an argument names: `std::memory_order_release`,
  /// `std::memory_order::acquire`, C's `memory_order_relaxed`, GCC's
  /// `__ATOMIC_RELEASE` (an integer: relaxed 0, consume 1, acquire 2,
  /// release 3, acq_rel 4, seq_cst 5, in every library). One it cannot
  /// tell (a variable) is taken as seq_cst.
  static Order orderOf(const Expr *E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *IL = dyn_cast<IntegerLiteral>(E)) {
      switch (IL->getValue().getLimitedValue()) {
      case 0:
        return Order::Relaxed;
      case 1:
      case 2:
        return Order::Acquire;
      case 3:
        return Order::Release;
      case 4:
        return Order::AcqRel;
      default:
        return Order::SeqCst;
      }
    }
    const ValueDecl *D = nullptr;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      D = DRE->getDecl();
    else if (const auto *ME = dyn_cast<MemberExpr>(E))
      D = ME->getMemberDecl();
    if (!D || !D->getIdentifier())
      return Order::SeqCst;
    StringRef N = D->getName();
    if (N.contains("relaxed"))
      return Order::Relaxed;
    if (N.contains("acq_rel"))
      return Order::AcqRel;
    if (N.contains("acquire") || N.contains("consume"))
      return Order::Acquire;
    if (N.contains("release"))
      return Order::Release;
    return Order::SeqCst;
  }
  static bool acquires(Order O) {
    return O == Order::Acquire || O == Order::AcqRel || O == Order::SeqCst;
  }
  static bool releases(Order O) {
    return O == Order::Release || O == Order::AcqRel || O == Order::SeqCst;
  }

  /// One atomic operation on an object: what it reads and writes, and the
  /// order it was given.
  struct AtomicOp {
    const ValueDecl *Object = nullptr;
    bool Loads = false, Stores = false;
    Order Ord = Order::SeqCst;
    bool acquire() const { return Loads && acquires(Ord); }
    bool release() const { return Stores && releases(Ord); }
    /// A synchronizer's wait acquires what its signal released, and an
    /// operation that does both (`arrive_and_wait`) is acq_rel: no order
    /// argument weakens them.
    void orderAsSynchronizer() {
      Ord = Loads && Stores ? Order::AcqRel
            : Stores        ? Order::Release
                            : Order::Acquire;
    }
  };

  /// What an atomic builtin or C11 function named \p N does: `load`,
  /// `store`/`clear` (\p Op Loads or Stores) or a read-modify-write (both);
  /// \p HasOrder when its last arguments are memory orders. False for
  /// anything else (`__c11_atomic_init` is no atomic operation).
  static bool atomicBuiltinKind(StringRef N, AtomicOp &Op, bool &HasOrder) {
    HasOrder = N.consume_front("__c11_atomic_") ||
               N.consume_front("__atomic_") ||
               N.consume_front("__scoped_atomic_") ||
               N.consume_front("__hip_atomic_") ||
               N.consume_front("__opencl_atomic_");
    if (!HasOrder) {
      if (!N.consume_front("atomic_"))
        return false;
      HasOrder = N.consume_back("_explicit");
    }
    N.consume_back("_n");
    N.consume_front("flag_");
    if (N == "load") {
      Op.Loads = true;
    } else if (N == "store" || N == "clear" || N == "notify_one" ||
               N == "notify_all") {
      Op.Stores = true;
    } else if (N == "exchange" || N == "test_and_set" ||
               N.starts_with("fetch_") || N.ends_with("_fetch") ||
               N.starts_with("compare_exchange")) {
      Op.Loads = Op.Stores = true;
    } else {
      return false;
    }
    return true;
  }

  /// The promise a future waits on: `f` of `auto f = p.get_future();`
  /// (or `p.get_future()` itself) is p's; any other future is its own.
  static const ValueDecl *promiseOf(const Expr *Future) {
    const Expr *E = Future->IgnoreParenImpCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
          VD && VD->getInit() && !VD->getType()->isReferenceType()) {
        E = VD->getInit()->IgnoreImplicit();
        if (const auto *CE = dyn_cast<CXXConstructExpr>(E);
            CE && CE->getNumArgs() == 1)
          E = CE->getArg(0)->IgnoreImplicit();
      }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
      if (const CXXMethodDecl *MD = MC->getMethodDecl();
          MD && MD->getIdentifier() && MD->getName() == "get_future")
        return namedObject(MC->getImplicitObjectArgument());
    return namedObject(Future);
  }

  /// Whether the semaphore \p E names is a variable constructed with two
  /// tokens or more (`std::counting_semaphore<4> slots(4);`).
  static bool startsWithTokens(const Expr *E) {
    const auto *VD = dyn_cast_or_null<VarDecl>(namedObject(E));
    const auto *CE = VD ? dyn_cast_or_null<CXXConstructExpr>(
                              VD->getInit() ? VD->getInit()->IgnoreImplicit()
                                            : nullptr)
                        : nullptr;
    Expr::EvalResult R;
    return CE && CE->getNumArgs() == 1 &&
           !CE->getArg(0)->isValueDependent() &&
           CE->getArg(0)->EvaluateAsInt(R, VD->getASTContext()) &&
           R.Val.getInt().getSExtValue() >= 2;
  }

  /// \p MC as a synchronization of the standard library's that orders
  /// memory as a release or an acquire on one object: a semaphore's
  /// release and acquire, a latch's count_down and wait, a barrier's
  /// arrive and wait, a promise's set_value and its future's get or wait
  /// ([thread.sema.cnt], [thread.latch], [thread.barrier],
  /// [futures.state]).
  static std::optional<AtomicOp> synchronizerOpOf(const CXXMemberCallExpr *MC) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    const CXXRecordDecl *RD = MD ? MD->getParent() : nullptr;
    if (!RD || !MD->getIdentifier())
      return std::nullopt;
    StringRef N = MD->getName();
    AtomicOp Op;
    const Expr *Object = MC->getImplicitObjectArgument();
    // Only the waits that cannot fail acquire: try_acquire, try_wait and
    // the timed waits may return without the other side's release.
    if (isStdClass(RD, {"counting_semaphore"})) {
      Op.Stores = N == "release";
      // A semaphore that starts with two tokens or more lets two threads
      // past acquire() with no release between them: its acquire orders
      // nothing that is known ([thread.sema.cnt]; docs/model.md).
      Op.Loads = N == "acquire" && !startsWithTokens(Object);
    } else if (isStdClass(RD, {"latch", "barrier"})) {
      Op.Stores = N == "count_down" || N.starts_with("arrive");
      Op.Loads = N == "wait" || N == "arrive_and_wait";
    } else if (isStdClass(RD, {"promise"})) {
      Op.Stores = N.starts_with("set_value") || N.starts_with("set_exception");
    } else if (isStdClass(RD, {"future", "shared_future", "__basic_future"})) {
      // (libstdc++'s futures inherit wait from __basic_future.)
      Op.Loads = N == "get" || N == "wait";
      if (Op.Loads)
        Op.Object = promiseOf(Object);
    } else {
      return std::nullopt;
    }
    if (!Op.Loads && !Op.Stores)
      return std::nullopt;
    if (!Op.Object)
      Op.Object = namedObject(Object);
    Op.orderAsSynchronizer();
    return Op;
  }

  /// \p S as an atomic operation: a member of std::atomic (load, store,
  /// exchange, fetch_*, compare_exchange_*, wait, notify, operators), a C11
  /// or GCC atomic builtin (`atomic_store_explicit` is
  /// `__c11_atomic_store`, `__atomic_load_n`, `__sync_*`), or a plain use
  /// of a C `_Atomic` object (seq_cst).
  static std::optional<AtomicOp> atomicOpOf(const Stmt *S) {
    AtomicOp Op;
    auto OrderArg = [&](const CallExpr *Call, unsigned FromEnd) {
      if (Call->getNumArgs() > FromEnd)
        Op.Ord = orderOf(Call->getArg(Call->getNumArgs() - 1 - FromEnd));
    };
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
      const CXXMethodDecl *MD = MC->getMethodDecl();
      const CXXRecordDecl *RD = MD ? MD->getParent() : nullptr;
      if (std::optional<AtomicOp> Sync = synchronizerOpOf(MC))
        return Sync;
      if (!MD || !RD ||
          !isStdClass(RD, {"atomic", "atomic_flag", "atomic_ref",
                           "__atomic_base", "__atomic_float",
                           "__atomic_flag_base", "__atomic_ref"}))
        return std::nullopt;
      Op.Object = namedObject(MC->getImplicitObjectArgument());
      if (isa<CXXConversionDecl>(MD)) {
        Op.Loads = true;
        return Op;
      }
      if (!MD->getIdentifier())
        return std::nullopt;
      StringRef N = MD->getName();
      if (N == "load" || N == "wait" || N == "test")
        Op.Loads = true;
      else if (N == "store" || N == "clear" || N == "notify_one" ||
               N == "notify_all")
        Op.Stores = true;
      else if (N == "exchange" || N.starts_with("fetch_") ||
               N.starts_with("compare_exchange") || N == "test_and_set")
        Op.Loads = Op.Stores = true;
      else
        return std::nullopt;
      // The first memory_order argument (a compare-exchange's success
      // order).
      for (const Expr *Arg : MC->arguments())
        if (const auto *ET =
                Arg->IgnoreImpCasts()->getType()->getAs<EnumType>();
            ET && ET->getDecl()->getIdentifier() &&
            ET->getDecl()->getName() == "memory_order") {
          Op.Ord = orderOf(Arg);
          break;
        }
      return Op;
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S)) {
      if (OC->getNumArgs() == 0)
        return std::nullopt;
      const auto *RD = OC->getArg(0)->getType()->getAsCXXRecordDecl();
      if (!RD || !isStdClass(RD, {"atomic", "__atomic_base", "__atomic_float",
                                  "atomic_ref"}))
        return std::nullopt;
      switch (OC->getOperator()) {
      case OO_Equal:
        Op.Stores = true;
        break;
      case OO_PlusPlus:
      case OO_MinusMinus:
      case OO_PlusEqual:
      case OO_MinusEqual:
      case OO_AmpEqual:
      case OO_PipeEqual:
      case OO_CaretEqual:
        Op.Loads = Op.Stores = true;
        break;
      default:
        return std::nullopt;
      }
      Op.Object = namedObject(OC->getArg(0));
      return Op;
    }
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      const FunctionDecl *FD = Call->getDirectCallee();
      if (!FD || !FD->getIdentifier() || Call->getNumArgs() == 0)
        return std::nullopt;
      StringRef N = FD->getName();
      // POSIX semaphores and barriers synchronize memory ([POSIX 4.12]):
      // sem_post releases what sem_wait acquires; a barrier wait does both.
      // (sem_trywait and the timed waits may fail: they acquire nothing
      // that is known.)
      if (llvm::is_contained({"sem_post", "sem_wait", "pthread_barrier_wait"},
                             N)) {
        Op.Object = namedObject(Call->getArg(0));
        Op.Stores = N == "sem_post" || N == "pthread_barrier_wait";
        Op.Loads = N != "sem_post";
        Op.orderAsSynchronizer();
        return Op;
      }
      if (N.starts_with("__sync_")) {
        Op.Object = namedObject(Call->getArg(0));
        if (N == "__sync_lock_release") {
          Op.Stores = true;
          Op.Ord = Order::Release;
        } else if (N == "__sync_lock_test_and_set") {
          Op.Loads = Op.Stores = true;
          Op.Ord = Order::Acquire;
        } else if (N != "__sync_synchronize") {
          Op.Loads = Op.Stores = true; // full barriers
        } else {
          return std::nullopt;
        }
        return Op;
      }
      bool HasOrder = false;
      if (!atomicBuiltinKind(N, Op, HasOrder))
        return std::nullopt;
      if (HasOrder)
        OrderArg(Call, Op.Loads && Op.Stores && N.contains("compare_exchange")
                           ? 1 // the success order, before the failure one
                           : 0);
      Op.Object = namedObject(Call->getArg(0));
      return Op;
    }
    // Clang's atomic builtins (what <stdatomic.h>'s atomic_store_explicit
    // and GCC's __atomic_load_n are) are expressions of their own.
    if (const auto *AE = dyn_cast<AtomicExpr>(S)) {
      bool HasOrder = false;
      if (!atomicBuiltinKind(AE->getOpAsString(), Op, HasOrder))
        return std::nullopt;
      Op.Ord = orderOf(AE->getOrder());
      Op.Object = namedObject(AE->getPtr());
      return Op;
    }
    // C's _Atomic objects used as plain lvalues: seq_cst loads and stores.
    auto IsAtomic = [](const Expr *E) {
      return E && E->getType()->isAtomicType();
    };
    if (const auto *BO = dyn_cast<BinaryOperator>(S);
        BO && BO->isAssignmentOp() && IsAtomic(BO->getLHS())) {
      Op.Stores = true;
      Op.Loads = BO->isCompoundAssignmentOp();
      Op.Object = namedObject(BO->getLHS());
      return Op;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(S);
        UO && UO->isIncrementDecrementOp() && IsAtomic(UO->getSubExpr())) {
      Op.Loads = Op.Stores = true;
      Op.Object = namedObject(UO->getSubExpr());
      return Op;
    }
    if (const auto *IC = dyn_cast<ImplicitCastExpr>(S);
        IC && IC->getCastKind() == CK_AtomicToNonAtomic &&
        IsAtomic(IC->getSubExpr())) {
      Op.Loads = true;
      Op.Object = namedObject(IC->getSubExpr());
      return Op;
    }
    return std::nullopt;
  }

  /// The order of a fence \p S is: std::atomic_thread_fence, C11's
  /// atomic_thread_fence, GCC's __atomic_thread_fence, __sync_synchronize.
  static std::optional<Order> fenceOf(const Stmt *S) {
    const auto *Call = dyn_cast<CallExpr>(S);
    const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
    if (!FD || !FD->getIdentifier())
      return std::nullopt;
    StringRef N = FD->getName();
    if (N == "__sync_synchronize")
      return Order::SeqCst;
    if ((N == "atomic_thread_fence" || N == "__atomic_thread_fence" ||
         N == "__c11_atomic_thread_fence") &&
        Call->getNumArgs() == 1)
      return orderOf(Call->getArg(0));
    return std::nullopt;
  }

  /// What the function the address \p UO is passed to does with it:
  /// none when it is not passed straight to a call.
  std::optional<bool> addressUse(const UnaryOperator *UO, Access &A) {
    const Stmt *Cur = UO;
    const Stmt *P = PM.getParent(UO);
    // A forwarding reference parameter binds the pointer through a
    // materialized temporary.
    while (P && isa<ImplicitCastExpr, ParenExpr, CStyleCastExpr,
                    CXXStaticCastExpr, CXXReinterpretCastExpr,
                    MaterializeTemporaryExpr>(P)) {
      Cur = P;
      P = PM.getParent(P);
    }
    // `args[i].total = &total`, `struct args a = {.total = &total}`: an
    // address kept in a block of the spawner's own touches nothing; the
    // threads the block is handed to are followed through it
    // (ShareInfo::ArgumentPointees).
    if (const auto *BO = dyn_cast_or_null<BinaryOperator>(P);
        BO && BO->getOpcode() == BO_Assign && BO->getRHS() == Cur &&
        inLocalBlock(BO->getLHS())) {
      A.Ignore = true;
      return false;
    }
    if (isa_and_nonnull<InitListExpr>(P)) {
      const Stmt *Up = P;
      while (Up && isa<InitListExpr, ImplicitCastExpr>(Up))
        Up = PM.getParent(Up);
      if (const auto *DS = dyn_cast_or_null<DeclStmt>(Up);
          DS && DS->isSingleDecl())
        if (const auto *VD = dyn_cast<VarDecl>(DS->getSingleDecl());
            VD && VD->hasLocalStorage() && !VD->getType()->isReferenceType()) {
          A.Ignore = true;
          return false;
        }
    }
    // `__c11_atomic_store(&x, ...)`, what C11's atomic_store_explicit and
    // GCC's __atomic_store_n are: an atomic access of x (only the object
    // pointer: the others are where values are read from or kept).
    if (const auto *AE = dyn_cast_or_null<AtomicExpr>(P)) {
      if (AE->getPtr() != Cur)
        return std::nullopt;
      AtomicOp Op;
      bool HasOrder = false;
      if (!atomicBuiltinKind(AE->getOpAsString(), Op, HasOrder))
        return true; // __c11_atomic_init: a plain write
      A.Atomic = true;
      return Op.Stores;
    }
    const auto *Call = dyn_cast_or_null<CallExpr>(P);
    if (!Call || isa<CXXOperatorCallExpr>(Call))
      return std::nullopt;
    const FunctionDecl *FD = Call->getDirectCallee();
    for (unsigned I = 0; I < Call->getNumArgs(); ++I) {
      if (Call->getArg(I) != Cur)
        continue;
      if (summarized(FD)) {
        A.UseOnly = true;
        return false;
      }
      switch (pointerArgUse(FD, I)) {
      case PointerUse::None:
        A.Ignore = true;
        return false;
      case PointerUse::Read:
        return false;
      case PointerUse::Write:
        return true;
      case PointerUse::Atomic:
        A.Atomic = true;
        return true;
      case PointerUse::AtomicRead:
        A.Atomic = true;
        return false;
      case PointerUse::Unknown:
        // The address copied into what a standard function constructs
        // (`index.emplace(id, &workers[id])`): nothing of the object is
        // touched there (the copy is not followed).
        if (forwardsToConstructor(FD)) {
          A.Ignore = true;
          return false;
        }
        // A parameter of pointer-to-const type reads, whatever casts the
        // argument went through to get there.
        if (FD && I < FD->getNumParams())
          if (QualType PT = FD->getParamDecl(I)->getType();
              PT->isPointerType() && PT->getPointeeType().isConstQualified())
            return false;
        return std::nullopt;
      }
    }
    return std::nullopt;
  }

  const ParentMap &PM;
  function_ref<bool(const ValueDecl *)> PerThread;
  function_ref<bool(const FunctionDecl *)> Summarized;
};

} // namespace

Access classifyAccess(const Expr *Ref, const ValueDecl *Object,
                      const ParentMap &PM,
                      function_ref<bool(const ValueDecl *)> PerThread,
                      bool FollowPointee,
                      function_ref<bool(const FunctionDecl *)> Summarized) {
  Classifier C(PM, PerThread, Summarized);
  Access A{Ref, Object};
  const Expr *From = Ref;
  if (FollowPointee) {
    if (const Expr *Deref = C.dereferenceOf(Ref)) {
      From = Deref;
      A.ThroughPointer = true;
      A.Path.push_back(derefStep());
      // p->m selects m of the pointee; p[i] one of its elements.
      if (const auto *ME = dyn_cast<MemberExpr>(Deref)) {
        if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl()))
          A.Path.push_back(F);
      } else if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(Deref)) {
        A.Path.push_back(nullptr);
        A.Element = true;
        A.Index = ASE->getIdx();
      }
    } else if (std::optional<bool> W = C.pointeeByCall(Ref)) {
      // memset(p, 0, n), free(p): the callee touches the whole pointee.
      A.ThroughPointer = true;
      A.Path.push_back(derefStep());
      A.Write = *W;
      return A;
    }
  }
  A.Write = C.isWrite(From, A);
  return A;
}

void atomicsAround(const Expr *E, const Stmt *Body, const ParentMap &PM,
                   AtomicsOf Of, Access &A) {
  auto None = [](const auto *) { return false; };
  Classifier C(PM, None, None);
  C.atomicsAround(E, Body, Of, A);
}

StatementAtomics statementAtomics(const Stmt *S) {
  return Classifier::statementAtomics(S);
}

bool mentionsAtomics(const Stmt *S,
                     DenseMap<const Decl *, bool> &AtomicCallees) {
  // Whether the node could be an atomic operation, a fence or a call_once,
  // whatever object it names: a call's answer is its callee's, asked once.
  SmallVector<const Stmt *, 32> Work{S};
  while (!Work.empty()) {
    const Stmt *Cur = Work.pop_back_val();
    if (!Cur)
      continue;
    const auto *Call = dyn_cast<CallExpr>(Cur);
    if (const Decl *Callee = Call ? Call->getCalleeDecl() : nullptr) {
      auto [It, New] = AtomicCallees.try_emplace(Callee, false);
      if (New)
        It->second = Classifier::mayBeAtomic(Call);
      if (It->second)
        return true;
    } else if (Classifier::mayBeAtomic(Cur)) {
      return true;
    }
    // Lambdas included (their children are their captures' initializers
    // and their body): an access inside `call_once(f, [&] {...})` is
    // ordered by the flag.
    pushChildren(Work, Cur);
  }
  return false;
}

} // namespace sendsync
