/** The TypeScript module gemm.wat assembles to today. */
export function generate(): Promise<string>;
/** Where that module is committed. */
export const OUT: string;
