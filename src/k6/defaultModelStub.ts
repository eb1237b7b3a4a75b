// Stands in for src/core/defaultModel.ts in the k6 runtime bundle (see markovModelStub.ts): the
// shop's sessions come from the shop domain; nothing there reads the old default model.
import type { MarkovModelDefinition } from '../core/markovModel.js';

export const defaultModelDefinition = undefined as unknown as MarkovModelDefinition;
