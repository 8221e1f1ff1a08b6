/**
 * Loaded first by `npm start` and `npm run dev` (`node --import ./scripts/require-node.mjs --import tsx …`):
 * on a Node.js older than package.json's engines.node it prints one line naming the version needed and exits
 * with 1, before tsx, Next or the database are loaded. Plain JavaScript without dependencies.
 */
import { nodeVersionProblem } from "./node-version.mjs";

const problem = nodeVersionProblem();
if (problem) {
  console.error(problem);
  process.exit(1);
}
