//===- ProgramOrder.cpp - a body's control flow, from Clang's CFG ---------===//

#include "Analysis/ProgramOrder.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/SmallVector.h"

using namespace clang;
using namespace llvm;

namespace sendsync {

ProgramOrder::ProgramOrder(const Decl *D, const Stmt *Body, ASTContext &Ctx,
                           function_ref<bool(const CallExpr *)> NeverReturns)
    : Body(Body), PM(const_cast<Stmt *>(Body)) {
  CFG::BuildOptions Opts;
  Opts.AddImplicitDtors = true;
  Opts.AddTemporaryDtors = false;
  Opts.PruneTriviallyFalseEdges = true;
  Opts.setAllAlwaysAdd();
  Graph = CFG::buildCFG(D, const_cast<Stmt *>(Body), &Ctx, Opts);
  if (!Graph)
    return;
  // Only what some path reaches gets a position: code after a return, or
  // after a call that never returns, runs never. Clang's CFG (without
  // exception edges) enters a try's handlers only from its dispatch block,
  // which no edge reaches when a callee throws: handlers are taken as
  // reachable, as if every try body could throw.
  Reached.resize(Graph->getNumBlockIDs());
  SmallVector<const CFGBlock *, 16> Work{&Graph->getEntry()};
  for (const CFGBlock *B : *Graph)
    if (isa_and_nonnull<CXXTryStmt, SEHTryStmt>(B->getTerminatorStmt()))
      Work.push_back(B);
  while (!Work.empty()) {
    const CFGBlock *B = Work.pop_back_val();
    if (Reached.test(B->getBlockID()))
      continue;
    Reached.set(B->getBlockID());
    unsigned I = 0;
    bool Cut = false;
    for (const CFGElement &E : *B) {
      if (auto S = E.getAs<CFGStmt>()) {
        Positions.try_emplace(S->getStmt(), Position{B, I});
        if (const auto *Call = dyn_cast<CallExpr>(S->getStmt());
            Call && NeverReturns && NeverReturns(Call)) {
          Cuts[B] = I;
          Cut = true;
          break;
        }
      }
      ++I;
    }
    if (Cut)
      continue;
    for (const CFGBlock::AdjacentBlock &Succ : B->succs())
      if (const CFGBlock *N = Succ.getReachableBlock();
          N && !Reached.test(N->getBlockID()))
        Work.push_back(N);
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

std::optional<unsigned> ProgramOrder::cutAt(const CFGBlock &B) const {
  if (auto It = Cuts.find(&B); It != Cuts.end())
    return It->second;
  return std::nullopt;
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
    // A call that never returns ends the path: nothing after it runs.
    std::optional<unsigned> Cut = cutAt(*B);
    unsigned End = Cut ? *Cut + 1 : B->size();
    bool Stopped = Cut.has_value();
    for (unsigned I = Start; I < End; ++I) {
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
