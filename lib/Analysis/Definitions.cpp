//===- Definitions.cpp - the translation unit's own definitions -----------===//

#include "Analysis/Definitions.h"
#include "Analysis/Annotations.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallVector.h"

using namespace clang;

namespace sendsync {
namespace {

/// RecursiveASTVisitor for what it knows of declarations (template
/// instantiations reached from their template, each once; friends; linkage
/// specifications), with types, names and statements cut off: only the
/// declarations matter here.
class Finder : public RecursiveASTVisitor<Finder> {
public:
  Finder(ASTContext &Ctx, Definitions &Out)
      : SM(Ctx.getSourceManager()), Out(Out) {}

  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return true; }
  bool shouldWalkTypesOfTypeLocs() const { return false; }

  bool TraverseDecl(Decl *D) {
    if (!D)
      return true;
    // Code in system headers is the library's business, as a matcher's
    // isExpansionInSystemHeader would have it.
    SourceLocation Loc = D->getBeginLoc();
    if (Loc.isValid() && !isa<TranslationUnitDecl>(D) &&
        SM.isInSystemHeader(SM.getExpansionLoc(Loc)))
      return true;
    if (hasSendSyncAnnotation(D) && !instantiated(D))
      Out.Annotated.push_back(D);
    // Parameters hang off the function's type, which is not walked. (Asked
    // of every function: the cheap attribute test first.)
    if (auto *FD = dyn_cast<FunctionDecl>(D))
      for (const ParmVarDecl *P : FD->parameters())
        if (hasSendSyncAnnotation(P) && !instantiated(FD))
          Out.Annotated.push_back(P);
    return RecursiveASTVisitor::TraverseDecl(D);
  }

  // Nothing under a type, a name or a template argument declares a
  // function to judge.
  bool TraverseTypeLoc(TypeLoc) { return true; }
  bool TraverseType(QualType) { return true; }
  bool TraverseNestedNameSpecifierLoc(NestedNameSpecifierLoc) { return true; }
  bool TraverseNestedNameSpecifier(NestedNameSpecifier *) { return true; }
  bool TraverseTemplateArgumentLoc(const TemplateArgumentLoc &) {
    return true;
  }
  bool TraverseTemplateArgument(const TemplateArgument &) { return true; }
  bool TraverseDeclarationNameInfo(DeclarationNameInfo) { return true; }
  bool TraverseConstructorInitializer(CXXCtorInitializer *) { return true; }

  /// Statements are not walked by the visitor: only the classes a body
  /// declares (a local functor, say) are looked for, with a plain walk.
  bool TraverseStmt(Stmt *Body, DataRecursionQueue * = nullptr) {
    llvm::SmallVector<Stmt *, 32> Work{Body};
    while (!Work.empty()) {
      Stmt *S = Work.pop_back_val();
      if (!S)
        continue;
      if (auto *DS = dyn_cast<DeclStmt>(S))
        for (Decl *D : DS->decls())
          if (isa<TagDecl, FunctionDecl, TypedefNameDecl>(D) ||
              isa<ClassTemplateDecl, FunctionTemplateDecl>(D))
            TraverseDecl(D);
      for (Stmt *Child : S->children())
        Work.push_back(Child);
    }
    return true;
  }

  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (!FD->doesThisDeclarationHaveABody())
      return true;
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD);
        MD && MD->getParent()->isLambda())
      return true;
    Out.Functions.push_back(FD);
    return true;
  }

  bool VisitCXXRecordDecl(CXXRecordDecl *RD) {
    if (RD->isThisDeclarationADefinition() && !RD->isLambda())
      Out.Classes.push_back(RD);
    return true;
  }

private:
  /// Whether \p D is, or is inside, a template instantiation.
  static bool instantiated(const Decl *D) {
    for (const DeclContext *DC = isa<DeclContext>(D) ? cast<DeclContext>(D)
                                                     : D->getDeclContext();
         DC; DC = DC->getParent()) {
      if (const auto *FD = dyn_cast<FunctionDecl>(DC);
          FD && FD->isTemplateInstantiation())
        return true;
      if (const auto *CT = dyn_cast<ClassTemplateSpecializationDecl>(DC);
          CT && !CT->isExplicitSpecialization() &&
          !isa<ClassTemplatePartialSpecializationDecl>(CT))
        return true;
    }
    return false;
  }

  const SourceManager &SM;
  Definitions &Out;
};

} // namespace

Definitions findDefinitions(ASTContext &Ctx) {
  Definitions Out;
  Finder(Ctx, Out).TraverseDecl(Ctx.getTranslationUnitDecl());
  return Out;
}

} // namespace sendsync
