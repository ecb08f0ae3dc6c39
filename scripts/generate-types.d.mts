/** Renders the generated type files from schemas/: file name → TypeScript text. */
export function generateTypes(): Promise<Record<string, string>>;
