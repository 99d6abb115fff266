import {
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { create as contentDisposition } from 'content-disposition';
import { AttachmentRefused, AttachmentStore, AttachmentTooLarge, type StoredAttachment } from '@app/attachments';
import { CurrentPrincipal, RequiresAction, type Principal } from '@app/auth';
import { CaseAlreadyClosed, referencedAttachment } from '@app/case-domain';
import { HttpEdgeError, UnsupportedMediaType } from '../http/http.errors';
import { MULTIPART_ROUTE } from '../http/request-guards';
import { ApiProblems, type ProblemSpec } from '../openapi/api-problems';
import { GetCase, GetCaseEvents } from '../cases/case.queries';
import { UPLOAD_BODY_SCHEMA, UploadedAttachmentsResponse } from './attachment.dto';
import {
  AttachmentNotFound,
  MalformedMultipart,
  NoFileUploaded,
  TooManyParts,
  UnexpectedPart,
} from './attachment.errors';

/** the name of the parts that carry files */
export const FILE_FIELD = 'file';
/** files in one upload */
export const MAX_FILES_PER_UPLOAD = 20;

const SHA256 = /^[0-9a-f]{64}$/;

const CASE_NOT_FOUND: ProblemSpec = [404, 'an unknown case, or one the caller may not see (CASE.NOT_FOUND)'];

/**
 * The attached files of a case (R11), stored for real by `@app/attachments`. The upload stores
 * bytes and records nothing: the customer's answer or reply (`POST /v1/cases/{id}/info`,
 * `/replies`) then names them, and only then does the case hold them. A download is allowed
 * only through a case whose events (as the caller may see them) name the file.
 */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases')
export class AttachmentsController {
  constructor(
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(AttachmentStore) private readonly store: AttachmentStore,
  ) {}

  @Post(':id/attachments')
  @RequiresAction('case.upload-attachment')
  @RouteConfig(MULTIPART_ROUTE)
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Upload files to a case (multipart/form-data, one or more "file" parts); name them in /info or /replies. ' +
      'Nothing is recorded on the case by the upload itself',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: UPLOAD_BODY_SCHEMA })
  @ApiCreatedResponse({ type: UploadedAttachmentsResponse })
  @ApiProblems(
    [
      400,
      'a bad case id (HTTP.VALIDATION_FAILED), a body that is not multipart (HTTP.MALFORMED_BODY), no "file" part ' +
        '(ATTACHMENT.NO_FILE), a part of another name (HTTP.VALIDATION_FAILED)',
    ],
    401,
    403,
    CASE_NOT_FOUND,
    [409, 'the case is closed (CASE.ALREADY_CLOSED)'],
    [
      413,
      'a file over ATTACHMENT_MAX_BYTES (ATTACHMENT.TOO_LARGE), more than 20 files (ATTACHMENT.TOO_MANY_FILES); ' +
        'a file stored before the refusal is kept, unreferenced',
    ],
    [
      415,
      'the body is not multipart/form-data (HTTP.UNSUPPORTED_MEDIA_TYPE), or a file is of a type not in ' +
        'ATTACHMENT_TYPES, detected from its bytes (ATTACHMENT.TYPE_NOT_ALLOWED)',
    ],
    503,
  )
  async upload(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() p: Principal,
    @Req() request: FastifyRequest,
  ): Promise<UploadedAttachmentsResponse> {
    if (!request.isMultipart()) throw new UnsupportedMediaType(request.headers['content-type'], 'multipart');
    // the case first: another organisation's case is a 404 before a byte is read
    const view = await this.queries.execute(new GetCase(id, p));
    if (view.status === 'closed') throw new CaseAlreadyClosed(id, 'attach files to it');
    const stored: StoredAttachment[] = [];
    try {
      const parts = request.parts({
        limits: {
          // one byte more than the store takes: the store refuses it (413) rather than busboy cutting it short
          fileSize: this.store.maxBytes + 1,
          files: MAX_FILES_PER_UPLOAD,
          parts: MAX_FILES_PER_UPLOAD + 10,
          fields: 10,
          fieldSize: 1024,
          headerPairs: 20,
        },
      });
      for await (const part of parts) {
        if (part.type !== 'file' || part.fieldname !== FILE_FIELD) throw new UnexpectedPart(part.fieldname);
        stored.push(await this.store.put(part.file, part.filename));
      }
    } catch (e) {
      // what the client is still sending is read and dropped, so that it gets the answer
      request.raw.unpipe();
      request.raw.resume();
      throw refusalOf(e, this.store.maxBytes);
    }
    if (stored.length === 0) throw new NoFileUploaded();
    return { attachments: stored };
  }

  @Get(':id/attachments/:sha256')
  @RequiresAction('case.read')
  @ApiOperation({
    summary:
      'Download a file of the case: one that an event of the case (as the caller may see it) names; ' +
      'Content-Type is the stored type, always as an attachment',
  })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({
    description:
      'the bytes; Content-Type the stored type, Content-Disposition attachment with the name the case gives it',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiProblems(
    [400, 'a bad case id (HTTP.VALIDATION_FAILED)'],
    401,
    403,
    [
      404,
      'an unknown case, or one the caller may not see (CASE.NOT_FOUND); a file no event of the case names, or a ' +
        'malformed hash (ATTACHMENT.NOT_FOUND)',
    ],
    503,
  )
  async download(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('sha256') sha256: string,
    @CurrentPrincipal() p: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const { events } = await this.queries.execute(new GetCaseEvents(id, p));
    const hash = sha256.toLowerCase();
    const reference = SHA256.test(hash) ? referencedAttachment(events, hash) : undefined;
    const file = reference && (await this.store.open(hash));
    if (!reference || !file) throw new AttachmentNotFound();
    void reply.header('x-content-type-options', 'nosniff');
    return new StreamableFile(file.stream, {
      type: file.contentType,
      length: file.size,
      disposition: contentDisposition(reference.name, { type: 'attachment' }),
    });
  }
}

/** What a failed upload answers: the store's and our refusals as they are; the parser's, as problems of ours. */
const refusalOf = (e: unknown, maxBytes: number): unknown => {
  if (e instanceof AttachmentRefused || e instanceof HttpEdgeError) return e;
  const error = e as { code?: unknown; syscall?: unknown; message?: unknown };
  // a file system error of the store is ours, not the client's: a 500
  if (typeof error?.syscall === 'string') return e;
  switch (error?.code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AttachmentTooLarge(maxBytes);
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new TooManyParts(MAX_FILES_PER_UPLOAD);
    default:
      return new MalformedMultipart(typeof error?.message === 'string' ? error.message : 'it is not multipart data');
  }
};
