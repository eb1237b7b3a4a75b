import { MockjutsuError, describeValue } from '../mockjutsuError.js';

// Allocation without coordination: an item's index is a pure function of ids that k6 already
// makes unique across the whole test (every VU and every instance of a distributed run, from
// the execution segments), so no two draws can get the same index and nobody has to talk.

function checkId(value: unknown, what: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new MockjutsuError('INVALID_OPTION', `${what} is ${describeValue(value)}; expected an integer >= ${min}`, what);
  }
  return value;
}

/**
 * Index of draw `draw` (0-based) of test-wide iteration `iterationInTest`
 * (`exec.scenario.iterationInTest`) when one iteration takes at most `perIteration` items:
 * iteration i owns indexes [i * perIteration, (i + 1) * perIteration).
 */
export function iterationItemIndex(iterationInTest: number, perIteration: number, draw: number): number {
  checkId(iterationInTest, 'exec.scenario.iterationInTest', 0);
  checkId(perIteration, 'perIteration', 1);
  checkId(draw, 'draw', 0);
  if (draw >= perIteration) {
    throw new MockjutsuError('INVALID_OPTION', `an iteration drew item ${draw + 1} from the pool but perIteration is ${perIteration}; ` +
      'raise perIteration to the most items one iteration takes (indexes are reserved per iteration so VUs never collide)', 'perIteration');
  }
  return iterationInTest * perIteration + draw;
}

/**
 * Index of draw `draw` (0-based) of VU `vuIdInTest` (`exec.vu.idInTest`, 1-based) when the
 * test has at most `vus` VUs in all: VU v owns v-1, v-1+vus, v-1+2*vus ...
 */
export function vuItemIndex(vuIdInTest: number, vus: number, draw: number): number {
  checkId(vuIdInTest, 'exec.vu.idInTest', 1);
  checkId(vus, 'vus', 1);
  checkId(draw, 'draw', 0);
  if (vuIdInTest > vus) {
    throw new MockjutsuError('INVALID_OPTION', `exec.vu.idInTest is ${vuIdInTest} but the pool was told vus: ${vus}; ` +
      'set vus to the highest VU count of the whole test (all instances together), or VUs would share items', 'vus');
  }
  return vuIdInTest - 1 + draw * vus;
}
