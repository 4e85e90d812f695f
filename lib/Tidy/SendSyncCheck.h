//===- SendSyncCheck.h - common base of the sendsync checks -----*- C++ -*-===//
//
// Reads the configuration every sendsync check shares (once, into const
// state), owns the per-translation-unit inference engine, and prints the
// engine's reasons as notes. Checks derive from it and only report.
//
//===----------------------------------------------------------------------===//

#ifndef SENDSYNC_TIDY_SENDSYNCCHECK_H
#define SENDSYNC_TIDY_SENDSYNCCHECK_H

#include "Analysis/Config.h"
#include "Analysis/Crossings.h"
#include "Analysis/Races.h"
#include "Analysis/ThreadFacts.h"
#include "Analysis/TraitEngine.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/StringSet.h"
#include <memory>

namespace clang::tidy::sendsync {

class SendSyncCheck : public ClangTidyCheck {
public:
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  bool isLanguageVersionSupported(const LangOptions &LangOpts) const override {
    return true; // C (pthread_create) and every C++ dialect
  }
  std::optional<TraversalKind> getCheckTraversalKind() const override {
    return TK_AsIs; // template instantiations are where types are concrete
  }
  /// Every check lets go of the last translation unit's facts before any
  /// check matches in the next one, so none is shared across units.
  void onStartOfTranslationUnit() override;

protected:
  SendSyncCheck(StringRef Name, ClangTidyContext *Context);

  /// The engine for \p Ctx, made on first use in each translation unit.
  ::sendsync::TraitEngine &engine(ASTContext &Ctx);
  /// The per-translation-unit facts (CFGs, locksets, summaries, class
  /// disciplines) for \p Ctx, made with the engine.
  ::sendsync::ThreadFacts &facts(ASTContext &Ctx);

  /// Emits each step as a note; steps without a location go at \p Fallback.
  void emitReasons(llvm::ArrayRef<::sendsync::ReasonStep> Steps,
                   SourceLocation Fallback);

  /// The engine of the current translation unit, if one was made.
  ::sendsync::TraitEngine *currentEngine() { return Engine.get(); }

  const ::sendsync::Config &config() const { return Cfg; }

  /// Notes where the access that conflicts with the thread's runs: in the
  /// spawning thread, in another thread (and where that one starts), or in
  /// another instance started by the same loop.
  void noteConflict(::sendsync::RaceFinding::OtherKind Kind,
                    const ::sendsync::Access &Other, SourceLocation OtherAt);
  /// Notes the further conflicting accesses of a race, the first few of
  /// them, and how many more there are.
  void noteMoreConflicts(llvm::ArrayRef<::sendsync::RaceFinding::Conflict> More,
                         SourceLocation At);

  /// Whether this is the first finding at \p Loc about \p What in this
  /// translation unit: a template's instantiations share their source
  /// locations, and one place gets one finding, not one per instantiation.
  bool firstFinding(SourceLocation Loc, StringRef What);

  /// How notes name a function: 'ns::C::f', or the lambda in 'ns::C::f'.
  static std::string describeFunction(const FunctionDecl *FD);

  /// For an access a callee makes on the caller's object: where, in which
  /// function.
  void noteVia(const ::sendsync::Access &A);

private:
  void readConfig();
  /// Reports a .clang-tidy file of this translation unit that does not
  /// parse (ConfigFiles.h) as a configuration error.
  void checkConfigFiles();

public:
  /// Base of the checks that judge each crossing: matches every function
  /// definition outside system headers, walks its body for crossings, and
  /// hands each to checkCrossing with the body that contains it.
  class OnCrossings;
private:

  /// Whether this check is the first enabled of the sendsync checks: it
  /// reports, once, what concerns them all (misused annotations, checked
  /// where written whichever checks run; the count of thread starts for
  /// sendsync-tidy's summary).
  bool firstSendSyncCheck() const;
  void reportAnnotationMisuse(ASTContext &Ctx);
  /// Appends "crossings N" to the file sendsync-tidy's worker names in
  /// SENDSYNC_STATS_FILE, if it does.
  static void recordCrossings(size_t N);

  ClangTidyContext *TidyContext;
  ::sendsync::Config Cfg;
  /// The raw option strings, as given, for storeOptions.
  llvm::StringMap<std::string> Raw;
  ASTContext *EngineCtx = nullptr;
  /// Shared by every sendsync check of the translation unit.
  std::shared_ptr<::sendsync::ThreadFacts> Facts;
  std::unique_ptr<::sendsync::TraitEngine> Engine;
  llvm::StringSet<> Reported;
};

class SendSyncCheck::OnCrossings : public SendSyncCheck {
public:
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;

protected:
  using SendSyncCheck::SendSyncCheck;
  /// \p Body is the body of the function or lambda containing the crossing.
  virtual void checkCrossing(const ::sendsync::Crossing &C, const Stmt *Body,
                             ASTContext &Ctx) = 0;
  /// What the check judges once per translation unit, before its crossings.
  virtual void checkUnit(ASTContext &Ctx) {}
};

} // namespace clang::tidy::sendsync

#endif // SENDSYNC_TIDY_SENDSYNCCHECK_H
