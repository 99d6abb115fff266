import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { from, switchMap, type Observable } from 'rxjs';
import { PRINCIPAL_KEY, REQUIRED_ACTION, type RequestWithPrincipal } from '@app/auth';
import { recordAuditAccess } from '@app/audit';
import { CLOCK, type Clock } from '@app/clock';
import { EVENT_STORE, type EventStore } from '@app/event-store';

/**
 * The auditors are audited: before an audit route answers, who is reading what is appended
 * to the day's access stream (libs/audit, audit-access.ts). It runs after the guards, so
 * only reads that are allowed are recorded; if recording fails, nothing is answered.
 */
@Injectable()
export class AuditAccessInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest & RequestWithPrincipal>();
    const principal = request[PRINCIPAL_KEY];
    const action = this.reflector.getAllAndOverride<string | undefined>(REQUIRED_ACTION, [
      context.getHandler(),
      context.getClass(),
    ]);
    const recording = principal
      ? recordAuditAccess(this.store, {
          reader: { id: principal.sub, role: principal.role, email: principal.email },
          action: action ?? 'audit.read',
          resource: `${request.method} ${request.url}`,
          at: this.clock.now(),
          correlationId: typeof request.id === 'string' ? request.id : undefined,
        })
      : Promise.resolve();
    return from(recording).pipe(switchMap(() => next.handle()));
  }
}
