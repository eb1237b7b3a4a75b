// seedrandom ships alea as a CommonJS file without its own typings.
declare module 'seedrandom/lib/alea.js' {
  interface AleaPrng {
    (): number;
    int32(): number;
    double(): number;
    quick(): number;
  }
  interface AleaState { c: number; s0: number; s1: number; s2: number; }
  function alea(seed: string, opts?: { state?: AleaState | boolean }): AleaPrng;
  export default alea;
}
