//===- SendSyncCheck.cpp - common base of the sendsync checks -------------===//

#include "Tidy/SendSyncCheck.h"
#include "Analysis/Annotations.h"
#include "Tidy/ConfigFiles.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdlib>

using namespace llvm;
namespace ss = ::sendsync;

namespace clang::tidy::sendsync {

SendSyncCheck::SendSyncCheck(StringRef Name, ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), TidyContext(Context) {
  readConfig();
  checkConfigFiles();
}

void SendSyncCheck::checkConfigFiles() {
  // Once per process for every check and file: the first file that uses a
  // broken .clang-tidy reports it.
  static StringSet<> Seen;
  static const bool Overridden = commandLineHasConfig();
  if (Overridden || getCurrentMainFile().empty())
    return;
  readConfigFiles(getCurrentMainFile(), Seen, [&](const SMDiagnostic &D) {
    configurationDiag("%0:%1:%2: %3 (clang-tidy ignores the file and runs "
                      "other checks than it names)",
                      DiagnosticIDs::Error)
        << D.getFilename() << D.getLineNo() << (D.getColumnNo() + 1)
        << D.getMessage();
  });
}

void SendSyncCheck::readConfig() {
  // A global option configures every sendsync check: its bad value is
  // reported once per process, not by each check.
  static StringSet<> Reported;
  auto Report = [&](Error E) {
    std::string Message = toString(std::move(E));
    if (Reported.insert(Message).second)
      configurationDiag("%0", DiagnosticIDs::Error) << Message;
  };
  // Errors name the option as the user wrote it: 'sendsync-send.X' for a
  // check's own, 'X' for the global one every check reads.
  auto Named = [&](StringRef Name) {
    return Options.get(Name) ? (getID() + "." + Name).str() : Name.str();
  };
  // Every option is read with getLocalOrGlobal, so one `NotSendTypes` entry
  // in CheckOptions configures all sendsync checks, and `sendsync-send.X`
  // overrides it for one check.
  for (const ss::OptionSpec &O : ss::optionSpecs()) {
    StringRef V = Options.getLocalOrGlobal(O.Name, O.Default);
    Raw[O.Name] = V.str();
    if (Error E = O.Read(Cfg, Named(O.Name), V))
      Report(std::move(E));
  }
}

void SendSyncCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  for (const ss::OptionSpec &O : ss::optionSpecs())
    if (O.EveryCheck)
      Options.store(Opts, O.Name, Raw[O.Name]);
}

namespace {
/// The facts of the translation unit being checked, one per setting of the
/// options they depend on, shared by every sendsync check: CFGs, locksets
/// and summaries are computed once for all. The checks hold them; this
/// only finds them (see onStartOfTranslationUnit).
std::shared_ptr<ss::ThreadFacts> sharedFacts(ASTContext &Ctx, bool Audit) {
  static std::weak_ptr<ss::ThreadFacts> Current[2];
  static const ASTContext *CurrentCtx[2] = {nullptr, nullptr};
  std::shared_ptr<ss::ThreadFacts> F = Current[Audit].lock();
  if (F && CurrentCtx[Audit] == &Ctx)
    return F;
  F = std::make_shared<ss::ThreadFacts>(Ctx, Audit);
  Current[Audit] = F;
  CurrentCtx[Audit] = &Ctx;
  return F;
}
} // namespace

void SendSyncCheck::onStartOfTranslationUnit() {
  Engine.reset();
  Facts.reset();
  EngineCtx = nullptr;
}

ss::TraitEngine &SendSyncCheck::engine(ASTContext &Ctx) {
  if (!Engine || EngineCtx != &Ctx) {
    Engine.reset();
    Facts = sharedFacts(Ctx, Cfg.AuditLockFreeClasses);
    Engine = std::make_unique<ss::TraitEngine>(Ctx, Cfg, Facts.get());
    EngineCtx = &Ctx;
    Reported.clear();
  }
  return *Engine;
}

ss::ThreadFacts &SendSyncCheck::facts(ASTContext &Ctx) {
  engine(Ctx);
  return *Facts;
}

void SendSyncCheck::emitReasons(ArrayRef<ss::ReasonStep> Steps,
                                SourceLocation Fallback) {
  for (const ss::ReasonStep &S : Steps)
    diag(S.Loc.isValid() ? S.Loc : Fallback, "%0", DiagnosticIDs::Note)
        << S.Message;
}

std::string SendSyncCheck::describeFunction(const FunctionDecl *FD) {
  // A lambda's call operator has no name of its own worth printing (and
  // Clang's spelling of it changes between versions).
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD);
      MD && MD->getParent()->isLambda()) {
    const DeclContext *DC = MD->getParent()->getDeclContext();
    while (DC && !isa<FunctionDecl>(DC))
      DC = DC->getParent();
    if (const auto *Outer = dyn_cast_or_null<FunctionDecl>(DC))
      return "the lambda in " + describeFunction(Outer);
    return "a lambda";
  }
  return "'" + FD->getQualifiedNameAsString() + "'";
}

bool SendSyncCheck::firstFinding(SourceLocation Loc, StringRef What) {
  return Reported
      .insert((Twine(Loc.getRawEncoding()) + ":" + What).str())
      .second;
}

void SendSyncCheck::noteVia(const ss::Access &A) {
  if (!A.Via || !A.ViaFn)
    return;
  diag(A.Via->getExprLoc(), "by %0, which %select{reads|writes}1 '%2' here",
       DiagnosticIDs::Note)
      << describeFunction(A.ViaFn) << A.Write
      << A.path().str();
}

void SendSyncCheck::noteConflict(ss::RaceFinding::OtherKind Kind,
                                 const ss::Access &Other,
                                 SourceLocation OtherAt) {
  switch (Kind) {
  case ss::RaceFinding::Spawner:
    diag(Other.E->getExprLoc(),
         "%select{read|written}0 here by the spawning thread while the new "
         "thread may still run",
         DiagnosticIDs::Note)
        << Other.Write;
    break;
  case ss::RaceFinding::OtherThread:
    diag(Other.E->getExprLoc(), "%select{read|written}0 here by another thread",
         DiagnosticIDs::Note)
        << Other.Write;
    noteVia(Other);
    diag(OtherAt, "which is started here", DiagnosticIDs::Note);
    return;
  case ss::RaceFinding::SameLoop:
    diag(Other.E->getExprLoc(),
         "%select{read|written}0 here by every thread this loop starts, "
         "concurrently",
         DiagnosticIDs::Note)
        << Other.Write;
    break;
  case ss::RaceFinding::SameStart:
    diag(Other.E->getExprLoc(),
         "%select{read|written}0 here by every thread started there, "
         "concurrently: the start is reached again while they run",
         DiagnosticIDs::Note)
        << Other.Write;
    break;
  case ss::RaceFinding::OtherRun:
    diag(Other.E->getExprLoc(),
         "%select{read|written}0 here by every run of the callable, "
         "concurrently",
         DiagnosticIDs::Note)
        << Other.Write;
    break;
  }
  noteVia(Other);
}

void SendSyncCheck::noteMoreConflicts(
    ArrayRef<ss::RaceFinding::Conflict> More, SourceLocation At) {
  // Enough to see the pattern; a long list buries the warning.
  constexpr size_t Shown = 3;
  for (const ss::RaceFinding::Conflict &C : More.take_front(Shown))
    noteConflict(C.K, C.A, C.ThreadAt);
  if (More.size() > Shown)
    diag(At, "and %0 more conflicting access%s0", DiagnosticIDs::Note)
        << unsigned(More.size() - Shown);
}

void SendSyncCheck::OnCrossings::registerMatchers(
    ast_matchers::MatchFinder *Finder) {
  using namespace ast_matchers;
  // One callback per translation unit: the definitions to judge come from
  // one walk of its declarations, shared by every check (ThreadFacts), not
  // from a matcher tried on each of the unit's declarations, the standard
  // headers' included. Each body's walk finds its crossings and knows the
  // body around each, with no parent map of the whole unit.
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

bool SendSyncCheck::firstSendSyncCheck() const {
  for (StringRef Name : {"sendsync-send", "sendsync-shared", "sendsync-global",
                         "sendsync-escape"})
    if (TidyContext->isCheckEnabled(Name))
      return Name == getID();
  return false;
}

void SendSyncCheck::reportAnnotationMisuse(ASTContext &Ctx) {
  if (!firstSendSyncCheck())
    return;
  for (const Decl *D : facts(Ctx).definitions().Annotated)
    for (const ss::AnnotationMisuse &M :
         ss::checkAnnotations(D, Ctx.getSourceManager()))
      if (firstFinding(M.Loc, M.Message))
        diag(M.Loc, "%0") << M.Message;
}

void SendSyncCheck::recordCrossings(size_t N) {
  const char *Path = getenv("SENDSYNC_STATS_FILE");
  if (!Path || !*Path)
    return;
  std::error_code EC;
  raw_fd_ostream OS(Path, EC, sys::fs::OF_Append | sys::fs::OF_Text);
  if (!EC)
    OS << "crossings " << N << "\n";
}

void SendSyncCheck::OnCrossings::check(
    const ast_matchers::MatchFinder::MatchResult &Result) {
  ASTContext &Ctx = *Result.Context;
  reportAnnotationMisuse(Ctx);
  ArrayRef<ss::ThreadFacts::FoundCrossing> Found =
      facts(Ctx).crossings(config());
  if (firstSendSyncCheck())
    recordCrossings(Found.size());
  checkUnit(Ctx);
  for (const ss::ThreadFacts::FoundCrossing &F : Found)
    checkCrossing(F.C, F.Body, Ctx);
}

} // namespace clang::tidy::sendsync
