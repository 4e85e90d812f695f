//===- SendSyncCheck.cpp - common base of the sendsync checks -------------===//

#include "Tidy/SendSyncCheck.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace llvm;
namespace ss = ::sendsync;

namespace clang::tidy::sendsync {

namespace {
// Every option is read with getLocalOrGlobal, so one `NotSendTypes` entry in
// CheckOptions configures all sendsync checks, and `sendsync-send.X`
// overrides it for one check.
constexpr StringRef TypeListOptions[] = {"NotSendTypes", "NotSyncTypes",
                                         "SendTypes", "SyncTypes",
                                         "ThreadSafeTypes"};
constexpr StringRef CrossingOptions[] = {"CrossingFunctions",
                                         "ScopedCrossingFunctions"};
constexpr StringRef ErasedOption = "TypeErasedWrappersAreSend";
} // namespace

SendSyncCheck::SendSyncCheck(StringRef Name, ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context) {
  readConfig();
}

void SendSyncCheck::readConfig() {
  auto Report = [&](Error E) {
    configurationDiag("%0 (check '%1')", DiagnosticIDs::Error)
        << toString(std::move(E)) << getID();
  };
  ss::PatternList *Lists[] = {&Cfg.NotSendTypes, &Cfg.NotSyncTypes,
                              &Cfg.SendTypes, &Cfg.SyncTypes,
                              &Cfg.ThreadSafeTypes};
  for (size_t I = 0; I < std::size(TypeListOptions); ++I) {
    StringRef V = Options.getLocalOrGlobal(TypeListOptions[I], "");
    Raw[TypeListOptions[I]] = V.str();
    if (auto L = ss::parsePatternList(TypeListOptions[I], V))
      *Lists[I] = std::move(*L);
    else
      Report(L.takeError());
  }
  std::vector<ss::CrossingFunction> *Fns[] = {&Cfg.CrossingFunctions,
                                              &Cfg.ScopedCrossingFunctions};
  for (size_t I = 0; I < std::size(CrossingOptions); ++I) {
    StringRef V = Options.getLocalOrGlobal(CrossingOptions[I], "");
    Raw[CrossingOptions[I]] = V.str();
    if (auto L = ss::parseCrossingFunctions(CrossingOptions[I], V))
      *Fns[I] = std::move(*L);
    else
      Report(L.takeError());
  }
  StringRef V = Options.getLocalOrGlobal(ErasedOption, "true");
  Raw[ErasedOption] = V.str();
  if (auto B = ss::parseBool(ErasedOption, V))
    Cfg.TypeErasedWrappersAreSend = *B;
  else
    Report(B.takeError());
}

void SendSyncCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  for (StringRef Name : TypeListOptions)
    Options.store(Opts, Name, Raw[Name]);
  for (StringRef Name : CrossingOptions)
    Options.store(Opts, Name, Raw[Name]);
  Options.store(Opts, ErasedOption, Raw[ErasedOption]);
}

ss::TraitEngine &SendSyncCheck::engine(ASTContext &Ctx) {
  if (!Engine || EngineCtx != &Ctx) {
    Engine = std::make_unique<ss::TraitEngine>(Ctx, Cfg);
    EngineCtx = &Ctx;
  }
  return *Engine;
}

void SendSyncCheck::emitReasons(ArrayRef<ss::ReasonStep> Steps,
                                SourceLocation Fallback) {
  for (const ss::ReasonStep &S : Steps)
    diag(S.Loc.isValid() ? S.Loc : Fallback, "%0", DiagnosticIDs::Note)
        << S.Message;
}

/// The function whose body contains \p E (a lambda's enclosing function
/// counts: a lambda in spawn() forwards spawn's arguments too).
static const FunctionDecl *enclosingFunction(const Expr *E, ASTContext &Ctx) {
  DynTypedNode N = DynTypedNode::create(*E);
  for (unsigned Guard = 0; Guard < 4096; ++Guard) {
    auto Parents = Ctx.getParents(N);
    if (Parents.empty())
      return nullptr;
    N = Parents[0];
    if (const auto *FD = N.get<FunctionDecl>()) {
      if (const auto *MD = dyn_cast<CXXMethodDecl>(FD);
          MD && MD->getParent()->isLambda())
        continue;
      return FD;
    }
  }
  return nullptr;
}

void SendSyncCheck::OnCrossings::registerMatchers(
    ast_matchers::MatchFinder *Finder) {
  using namespace ast_matchers;
  // Every call and construction is a candidate: which ones cross threads
  // depends on annotations and configuration, decided by classifyCrossing.
  // Dependent code is skipped; its instantiations are checked.
  Finder->addMatcher(callExpr(unless(isInstantiationDependent())).bind("call"),
                     this);
  Finder->addMatcher(
      cxxConstructExpr(unless(isInstantiationDependent())).bind("call"), this);
}

void SendSyncCheck::OnCrossings::check(
    const ast_matchers::MatchFinder::MatchResult &Result) {
  const auto *E = Result.Nodes.getNodeAs<Expr>("call");
  // A crossing inside a library (std::async starting its std::thread) is the
  // library's business; the user's crossing is the call into it.
  if (Result.SourceManager->isInSystemHeader(E->getBeginLoc()))
    return;
  std::optional<ss::Crossing> C = ss::classifyCrossing(E, config());
  if (!C)
    return;
  // Inside a function that is itself a crossing (a spawn() built on
  // std::thread), the values were judged where that function was called;
  // its own std::thread only forwards them.
  if (const FunctionDecl *F = enclosingFunction(E, *Result.Context))
    if (ss::isCrossingFunction(F))
      return;
  checkCrossing(*C, *Result.Context);
}

} // namespace clang::tidy::sendsync
