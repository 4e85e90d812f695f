//===- TraitEngine.cpp - Send/Sync/ThreadSafe inference -------------------===//

#include "Analysis/TraitEngine.h"
#include "Analysis/Locksets.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include <deque>

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

namespace {

//===----------------------------------------------------------------------===//
// The standard-library model (spec section 2, "Built-in model").
//===----------------------------------------------------------------------===//

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

constexpr const char *ContainerRace =
    "concurrent non-const use of one object is a data race";

const ModelEntry *lookupModel(StringRef Name) {
  static const ModelEntry Container{Rule::AllArgs, Rule::AllArgs, Rule::No,
                                    nullptr, nullptr, ContainerRace};
  static const ModelEntry SharedOwner{Rule::FirstArgSendSync,
                                      Rule::FirstArgSendSync, Rule::No,
                                      nullptr, nullptr, ContainerRace};
  static const ModelEntry Borrow{Rule::FirstArgSync, Rule::FirstArgSync,
                                 Rule::No, nullptr, nullptr, ContainerRace};
  static const ModelEntry Synchronizer{Rule::Yes, Rule::Yes, Rule::Yes,
                                       nullptr, nullptr, nullptr};
  static const ModelEntry Guard{
      Rule::No, Rule::Yes, Rule::No,
      "a lock must be released by the thread that acquired it", nullptr,
      ContainerRace,
      "acquire the lock inside the new thread instead of passing it in"};
  static const ModelEntry Thread{Rule::Yes, Rule::Yes, Rule::No, nullptr,
                                 nullptr, ContainerRace};
  static const ModelEntry Future{
      Rule::FirstArgSend, Rule::No, Rule::No, nullptr,
      "one future may not be waited on from two threads at once",
      "one future may not be waited on from two threads at once",
      "use 'std::shared_future' to wait from several threads"};
  static const ModelEntry SharedFuture{Rule::FirstArgSendSync,
                                       Rule::FirstArgSendSync, Rule::No,
                                       nullptr, nullptr, ContainerRace};
  static const ModelEntry Erased{Rule::TypeErased, Rule::Yes, Rule::No,
                                 nullptr, nullptr, ContainerRace};
  // Its `mutable weak_ptr` is written once, when the first shared_ptr takes
  // the object, before anyone can share it; shared_from_this() only reads.
  static const ModelEntry SharedFromThis{Rule::Yes, Rule::Yes, Rule::Yes,
                                         nullptr, nullptr, nullptr};
  return StringSwitch<const ModelEntry *>(Name)
      .Cases("vector", "deque", "list", "forward_list", &Container)
      .Cases("set", "multiset", "map", "multimap", &Container)
      .Cases("unordered_set", "unordered_multiset", "unordered_map",
             "unordered_multimap", &Container)
      .Cases("stack", "queue", "priority_queue", "array", &Container)
      .Cases("optional", "variant", "tuple", "pair", &Container)
      .Cases("basic_string", "valarray", "expected", &Container)
      .Cases("flat_map", "flat_set", "flat_multimap", "flat_multiset",
             &Container)
      .Case("unique_ptr", &Container)
      .Cases("shared_ptr", "weak_ptr", &SharedOwner)
      .Cases("reference_wrapper", "span", "basic_string_view", &Borrow)
      .Cases("atomic", "atomic_ref", "atomic_flag", &Synchronizer)
      .Cases("mutex", "recursive_mutex", "timed_mutex",
             "recursive_timed_mutex", &Synchronizer)
      .Cases("shared_mutex", "shared_timed_mutex", &Synchronizer)
      .Cases("condition_variable", "condition_variable_any", "once_flag",
             &Synchronizer)
      .Cases("latch", "barrier", "counting_semaphore", &Synchronizer)
      .Cases("stop_source", "stop_token", &Synchronizer)
      .Cases("lock_guard", "unique_lock", "shared_lock", "scoped_lock",
             &Guard)
      .Cases("thread", "jthread", &Thread)
      .Cases("future", "promise", "packaged_task", &Future)
      .Case("shared_future", &SharedFuture)
      .Case("enable_shared_from_this", &SharedFromThis)
      .Cases("function", "move_only_function", "copyable_function", "any",
             &Erased)
      .Default(nullptr);
}

bool isInStd(const Decl *D) {
  const DeclContext *DC = D->getDeclContext();
  while (DC && DC->isInlineNamespace())
    DC = DC->getParent();
  return DC && DC->isStdNamespace();
}

//===----------------------------------------------------------------------===//
// Annotations.
//===----------------------------------------------------------------------===//

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
  const AnnotateAttr *A;
  StringRef Bounds; ///< for the conditional forms
};

std::optional<AnnKind> annotationKind(StringRef S) {
  if (!S.consume_front("sendsync::"))
    return std::nullopt;
  return StringSwitch<std::optional<AnnKind>>(S)
      .Case("not_send", AnnKind::NotSend)
      .Case("not_sync", AnnKind::NotSync)
      .Case("unsafe_send", AnnKind::UnsafeSend)
      .Case("unsafe_sync", AnnKind::UnsafeSync)
      .Case("thread_safe", AnnKind::ThreadSafe)
      .Case("send_if", AnnKind::SendIf)
      .Case("sync_if", AnnKind::SyncIf)
      .Case("thread_safe_if", AnnKind::ThreadSafeIf)
      .Default(std::nullopt);
}

StringRef stringArg(const Expr *E) {
  if (!E)
    return {};
  E = E->IgnoreParenImpCasts();
  if (const auto *CE = dyn_cast<ConstantExpr>(E))
    E = CE->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *SL = dyn_cast<clang::StringLiteral>(E))
    if (SL->getCharByteWidth() == 1)
      return SL->getString();
  return {};
}

void collectAnnotations(const Decl *D, SmallVectorImpl<Annotation> &Out) {
  for (const Decl *R : D->redecls())
    for (const auto *A : R->specific_attrs<AnnotateAttr>()) {
      std::optional<AnnKind> K = annotationKind(A->getAnnotation());
      if (!K)
        continue;
      StringRef Bounds = A->args_size() ? stringArg(*A->args_begin()) : "";
      Out.push_back({*K, A, Bounds});
    }
}

/// The annotations that apply to \p RD: its own redeclarations, and for a
/// template specialization those of the template it was instantiated from.
SmallVector<Annotation, 4> annotationsOf(const CXXRecordDecl *RD) {
  SmallVector<Annotation, 4> Out;
  collectAnnotations(RD, Out);
  if (const auto *CTSD = dyn_cast<ClassTemplateSpecializationDecl>(RD)) {
    if (CTSD->isExplicitSpecialization())
      return Out;
    auto From = CTSD->getSpecializedTemplateOrPartial();
    if (auto *Partial =
            From.dyn_cast<ClassTemplatePartialSpecializationDecl *>())
      collectAnnotations(Partial, Out);
    else if (auto *Primary = From.dyn_cast<ClassTemplateDecl *>())
      collectAnnotations(Primary->getTemplatedDecl(), Out);
  }
  return Out;
}

//===----------------------------------------------------------------------===//
// Bounds: "T: Send + Sync, U: Send".
//===----------------------------------------------------------------------===//

struct Bound {
  StringRef Param;
  Trait Tr;
};

/// Parses bounds; returns an error message or the empty string.
std::string parseBounds(StringRef Text, SmallVectorImpl<Bound> &Out) {
  if (Text.trim().empty())
    return "the bounds are empty (expected e.g. \"T: Send\")";
  SmallVector<StringRef, 4> Clauses;
  Text.split(Clauses, ',');
  for (StringRef Clause : Clauses) {
    auto [Param, Traits] = Clause.split(':');
    Param = Param.trim();
    if (Param.empty() || Traits.trim().empty() ||
        !all_of(Param, [](char C) { return llvm::isAlnum(C) || C == '_'; }))
      return ("'" + Clause.trim() + "' is not of the form 'Param: Trait'")
          .str();
    SmallVector<StringRef, 3> Names;
    Traits.split(Names, '+');
    for (StringRef N : Names) {
      N = N.trim();
      std::optional<Trait> Tr = StringSwitch<std::optional<Trait>>(N)
                                    .Case("Send", Trait::Send)
                                    .Case("Sync", Trait::Sync)
                                    .Case("ThreadSafe", Trait::ThreadSafe)
                                    .Default(std::nullopt);
      if (!Tr)
        return ("'" + N + "' is not a trait (Send, Sync or ThreadSafe)")
            .str();
      Out.push_back({Param, *Tr});
    }
  }
  return "";
}

//===----------------------------------------------------------------------===//
// The question graph.
//===----------------------------------------------------------------------===//

struct Edge {
  unsigned Child;
  EdgeKind Kind;
  const NamedDecl *D; ///< field, base class or captured variable
  SourceLocation Loc;
  QualType Written; ///< the type as written at D, for messages
};

struct Node {
  QualType Ty; ///< canonical, unqualified
  Trait Tr;
  Verdict Local = Verdict::Yes;
  Source Src = Source::Structural;
  SourceLocation SrcLoc; ///< annotation or declaration location
  std::string Why;       ///< model/builtin/config reason for a local No
  const char *Fix = nullptr; ///< the model's suggested fix, if any
  SmallVector<Edge, 2> Edges;
  Verdict V = Verdict::Yes;
  bool Expanded = false;
  bool Done = false;
  bool OnStack = false;
  unsigned Index = ~0u;
  unsigned Low = 0;
};

} // namespace

class TraitEngine::Impl {
public:
  Impl(ASTContext &Ctx, const Config &Cfg, DisciplineSource *Disc)
      : Ctx(Ctx), Cfg(Cfg), Disc(Disc) {
    Policy = PrintingPolicy(Ctx.getLangOpts());
    Policy.SuppressTagKeyword = true;
    Policy.SuppressUnwrittenScope = true;
    Policy.Bool = Ctx.getLangOpts().CPlusPlus;
    // '(lambda)', not '(lambda at /abs/path:3:5)': notes point at the lambda.
    Policy.AnonymousTagLocations = false;
  }

  ASTContext &Ctx;
  const Config &Cfg;
  DisciplineSource *Disc;
  /// Where a class's discipline breaks for a member, for explanations.
  DenseMap<const FieldDecl *, ReasonStep> Breaches;
  PrintingPolicy Policy{LangOptions()};
  std::vector<Node> Nodes;
  DenseMap<std::pair<const Type *, unsigned>, unsigned> Ids;
  std::vector<AnnotationProblem> Problems;
  DenseSet<const AnnotateAttr *> ReportedProblems;
  unsigned NextIndex = 0;

  static QualType key(QualType T) {
    return T.getCanonicalType().getUnqualifiedType();
  }

  unsigned node(QualType T, Trait Tr) {
    QualType K = key(T);
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
  std::string print(QualType T) const {
    return T.getCanonicalType().getUnqualifiedType().getAsString(Policy);
  }

  Verdict evaluate(unsigned Root);
  void expand(unsigned Id);
  void expandRecord(unsigned Id, const RecordDecl *RD,
                    SmallVectorImpl<Edge> &Edges);
  bool applyAnnotations(unsigned Id, const CXXRecordDecl *RD,
                        SmallVectorImpl<Edge> &Edges);
  bool applyConfig(unsigned Id, const RecordDecl *RD);
  bool applyModel(unsigned Id, const CXXRecordDecl *RD,
                  SmallVectorImpl<Edge> &Edges);
  void setLocal(unsigned Id, Verdict V, Source S, std::string Why = "",
                SourceLocation Loc = {}) {
    Node &N = Nodes[Id];
    N.Local = V;
    N.Src = S;
    N.Why = std::move(Why);
    N.SrcLoc = Loc;
  }
  void addEdge(SmallVectorImpl<Edge> &Edges, QualType T, Trait Tr,
               EdgeKind K, const NamedDecl *D = nullptr,
               SourceLocation Loc = {}) {
    Edges.push_back({node(T, Tr), K, D, Loc, T});
  }

  bool findPath(unsigned Root, std::vector<unsigned> &Path,
                std::vector<const Edge *> &Via);
  std::vector<ReasonStep> explain(unsigned Root);
  ReasonStep leafStep(const Node &L, Verdict Target);
  std::string leafWhy(const Node &N) const;
  bool isStdInternal(const Node &Parent, const Edge &E) const;
};

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
  if (CRD && isInStd(CRD) && applyModel(Id, CRD, Edges))
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
    if (ReportedProblems.insert(A->A).second)
      Problems.push_back({Loc, Msg});
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
    Params = From.get<ClassTemplateDecl *>()->getTemplateParameters();
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
// Explanations.
//===----------------------------------------------------------------------===//

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
  return RD && isInStd(RD) &&
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
  bool LeafDescribed = false;
  bool DescribedNext = false; // Path[I]'s rule was stated by a clause
  for (size_t I = 1; I <= K; ++I) {
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
    if (I == K) {
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

std::vector<TraitEngine::AnnotationProblem>
TraitEngine::takeAnnotationProblems() {
  return std::exchange(P->Problems, {});
}

std::string TraitEngine::print(QualType T) const { return P->print(T); }

size_t TraitEngine::numNodes() const { return P->Nodes.size(); }

} // namespace sendsync
