//===- ProgramOrder.cpp - a body's control flow, from Clang's CFG ---------===//

#include "Analysis/ProgramOrder.h"
#include "clang/AST/ASTContext.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/SmallVector.h"

using namespace clang;
using namespace llvm;

namespace sendsync {

ProgramOrder::ProgramOrder(const Decl *D, const Stmt *Body, ASTContext &Ctx)
    : Body(Body), PM(const_cast<Stmt *>(Body)) {
  CFG::BuildOptions Opts;
  Opts.AddImplicitDtors = true;
  Opts.AddTemporaryDtors = false;
  Opts.PruneTriviallyFalseEdges = true;
  Opts.setAllAlwaysAdd();
  Graph = CFG::buildCFG(D, const_cast<Stmt *>(Body), &Ctx, Opts);
  if (!Graph)
    return;
  for (const CFGBlock *B : *Graph) {
    unsigned I = 0;
    for (const CFGElement &E : *B) {
      if (auto S = E.getAs<CFGStmt>())
        Positions.try_emplace(S->getStmt(), Position{B, I});
      ++I;
    }
  }
}

ProgramOrder::~ProgramOrder() = default;

std::optional<ProgramOrder::Position>
ProgramOrder::position(const Stmt *S) const {
  for (; S; S = PM.getParent(S))
    if (auto It = Positions.find(S); It != Positions.end())
      return It->second;
  return std::nullopt;
}

const Stmt *ProgramOrder::elementOf(const Stmt *S) const {
  for (; S; S = PM.getParent(S))
    if (Positions.count(S))
      return S;
  return nullptr;
}

bool ProgramOrder::walkFrom(
    Position From, function_ref<Step(const CFGElement &)> AtElement,
    function_ref<Step(const CFGBlock &, unsigned)> AtEdge,
    function_ref<void(const CFGElement &)> Visit) const {
  if (!Graph || !From.Block)
    return false;
  bool Again = false;
  BitVector Entered(Graph->getNumBlockIDs());
  SmallVector<std::pair<const CFGBlock *, unsigned>, 16> Work;
  Work.push_back({From.Block, From.Index + 1});
  while (!Work.empty()) {
    auto [B, Start] = Work.pop_back_val();
    bool Stopped = false;
    for (unsigned I = Start; I < B->size(); ++I) {
      const CFGElement &E = (*B)[I];
      Visit(E);
      if (AtElement(E) == Step::Stop) {
        Stopped = true;
        break;
      }
    }
    if (Stopped)
      continue;
    unsigned SI = 0;
    for (const CFGBlock::AdjacentBlock &Succ : B->succs()) {
      unsigned Index = SI++;
      const CFGBlock *N = Succ.getReachableBlock();
      if (!N || AtEdge(*B, Index) == Step::Stop)
        continue;
      if (N == From.Block) {
        // Back at the start's block: the elements before the start run
        // again and, unless one of them stops the walk, the start too.
        bool Blocked = false;
        for (unsigned I = 0; I < From.Index && I < N->size(); ++I) {
          Visit((*N)[I]);
          if (AtElement((*N)[I]) == Step::Stop) {
            Blocked = true;
            break;
          }
        }
        Again |= !Blocked;
        continue;
      }
      if (Entered.test(N->getBlockID()))
        continue;
      Entered.set(N->getBlockID());
      Work.push_back({N, 0});
    }
  }
  return Again;
}

} // namespace sendsync
