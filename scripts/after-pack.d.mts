export declare const VC_REDIST: string;
export declare function checkPackage(options: { resourcesDir: string; platform: string; arch: string; projectDir: string }): string[];
export default function afterPack(context: unknown): Promise<void>;
