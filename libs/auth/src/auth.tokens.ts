/** DI token of the {@link TokenVerifier} that `AuthModule` provides. */
export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');
/** DI token of the {@link AccessPolicy} (consumer domains from the module options). */
export const ACCESS_POLICY = Symbol('ACCESS_POLICY');
