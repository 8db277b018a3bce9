/** The TypeScript module gemm.wat and rows.wat assemble to today. */
export function generate(): Promise<string>;
/** Where that module is committed. */
export const OUT: string;
