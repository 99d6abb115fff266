import { type DynamicModule, type FactoryProvider, Module, type ModuleMetadata, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { type AccessPolicy, type AccessPolicyOptions, createAccessPolicy } from './access.policy';
import { AuthGuard } from './auth.guard';
import { ACCESS_POLICY, TOKEN_VERIFIER } from './auth.tokens';
import { RequiresActionGuard } from './requires-action.guard';
import { createTokenVerifier, type TokenVerifier, type TokenVerifierOptions } from './token-verifier';

export interface AuthModuleOptions extends AccessPolicyOptions {
  /** how to verify bearer tokens, or a ready verifier (e.g. a fake in tests) */
  readonly verifier: TokenVerifierOptions | TokenVerifier;
}

export interface AuthModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  /** e.g. `(config: ConfigService) => ({ verifier: { mode: 'local', secret } })` */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Nest's own factory signature
  readonly useFactory: (...args: any[]) => AuthModuleOptions | Promise<AuthModuleOptions>;
  readonly inject?: FactoryProvider['inject'];
  /** register {@link AuthGuard} as a global guard (APP_GUARD); default true */
  readonly globalGuard?: boolean;
}

const AUTH_MODULE_OPTIONS = Symbol('AUTH_MODULE_OPTIONS');

/**
 * Bearer-token authentication and the access policy for the whole app (a global module):
 * provides {@link TOKEN_VERIFIER} and {@link ACCESS_POLICY}, and by default makes
 * {@link AuthGuard} the global guard. Errors are `AuthError`s carrying `status`; the app's
 * problem-details filter maps them.
 */
@Module({})
export class AuthModule {
  static forRootAsync(options: AuthModuleAsyncOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: AUTH_MODULE_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] },
      {
        provide: TOKEN_VERIFIER,
        useFactory: ({ verifier }: AuthModuleOptions): TokenVerifier =>
          'verify' in verifier ? verifier : createTokenVerifier(verifier),
        inject: [AUTH_MODULE_OPTIONS],
      },
      {
        provide: ACCESS_POLICY,
        useFactory: ({ consumerDomains }: AuthModuleOptions): AccessPolicy => createAccessPolicy({ consumerDomains }),
        inject: [AUTH_MODULE_OPTIONS],
      },
      RequiresActionGuard,
    ];
    if (options.globalGuard !== false) providers.push({ provide: APP_GUARD, useClass: AuthGuard });
    return {
      module: AuthModule,
      global: true,
      imports: options.imports ?? [],
      providers,
      exports: [TOKEN_VERIFIER, ACCESS_POLICY, RequiresActionGuard],
    };
  }
}
