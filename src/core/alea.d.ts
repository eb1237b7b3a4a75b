// seedrandom ships alea as a CommonJS file without its own typings.
declare module 'seedrandom/lib/alea.js' {
  interface AleaPrng {
    (): number;
    int32(): number;
    double(): number;
    quick(): number;
  }
  function alea(seed: string): AleaPrng;
  export default alea;
}
