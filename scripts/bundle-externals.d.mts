export declare const nativeModules: string[];
export declare const runtimeModules: string[];
export declare const external: string[];
