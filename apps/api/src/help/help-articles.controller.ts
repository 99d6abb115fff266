import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, RequiresAction, toActor, type Principal } from '@app/auth';
import { InvalidCommand, type ArticleCommand } from '@app/case-domain';
import { ChangeArticle } from '@app/commands';
import { toETag } from '../http/http.errors';
import type { WriteAnswer } from '../http/idempotency.service';
import { CurrentWrite, Write, type WriteContext } from '../http/write.interceptor';
import { ApiReadProblems, ApiWriteProblems, type ProblemSpec } from '../openapi/api-problems';
import {
  ArticleResponse,
  ArticleRevisionQuery,
  CreateArticleRequest,
  HelpSearchQuery,
  HelpSearchResponse,
  ReviseArticleRequest,
} from './help-articles.dto';
import { GetHelpArticle, helpArticleUrl, SearchHelpArticles } from './help-articles.queries';

const ARTICLE_NOT_FOUND: ProblemSpec = [
  404,
  'an unknown article, an unpublished one (to all but supervisors), or a revision it does not have (ARTICLE.NOT_FOUND)',
];

/** Article ids are lower case; the body's are lower-cased by the domain, so the path's are too. */
const articleIdOf = (id: string) => id.trim().toLowerCase();

/**
 * The help-centre articles (R5): what the help assistant suggests before a case is opened.
 * Searched through the help-articles read model; read one by one from their streams;
 * written by supervisors (`help.manage`) through the command door (`ChangeArticle`).
 */
@ApiTags('help')
@ApiBearerAuth()
@Controller('v1/help/articles')
export class HelpArticlesController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
  ) {}

  @Get()
  @RequiresAction('help.search')
  @ApiOperation({
    summary:
      'Search the published articles: those in `language` first, best first (accents, case and word endings ignored)',
  })
  @ApiOkResponse({ type: HelpSearchResponse })
  @ApiReadProblems([
    400,
    'a missing or bad parameter (HTTP.VALIDATION_FAILED: `errors` names them), or a search the read model refuses (HELP_SEARCH.INVALID)',
  ])
  search(@Query() query: HelpSearchQuery) {
    return this.queries.execute(new SearchHelpArticles(query));
  }

  @Get(':id')
  @RequiresAction('help.search')
  @ApiOperation({
    summary: 'One article as it stands, its stream version as ETag; `?version=` the revision a reader was shown',
  })
  @ApiOkResponse({ type: ArticleResponse })
  @ApiReadProblems([400, 'a malformed id or version (COMMAND.INVALID, HTTP.VALIDATION_FAILED)'], ARTICLE_NOT_FOUND)
  async get(
    @Param('id') id: string,
    @Query() query: ArticleRevisionQuery,
    @CurrentPrincipal() p: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { article, streamVersion } = await this.queries.execute(
      new GetHelpArticle(articleIdOf(id), p, query.version),
    );
    // the ETag is what If-Match of a revision takes: only on the article as it stands
    if (query.version === undefined) void reply.header('etag', toETag(streamVersion));
    return article;
  }

  @Post()
  @RequiresAction('help.manage')
  @Write()
  @ApiOperation({
    summary:
      'Create an article (supervisor); the same article again changes nothing (200), other contents under its id are a 409',
  })
  @ApiCreatedResponse({ type: ArticleResponse })
  @ApiOkResponse({ type: ArticleResponse, description: 'the same article was there already: nothing written' })
  // a creation expects no stream: If-Match is not read (no 412), as for the vendors
  @ApiWriteProblems({ ifMatch: false }, [
    409,
    'the id is taken by an article with other contents (ARTICLE.ALREADY_EXISTS): revise it with PUT',
  ])
  create(@Body() body: CreateArticleRequest, @CurrentWrite() w: WriteContext) {
    const command: ArticleCommand = { type: 'CreateArticle', article: { ...body }, actor: toActor(w.principal) };
    return this.change(w, command, 201, undefined);
  }

  @Put(':id')
  @RequiresAction('help.manage')
  @Write()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Revise an article (supervisor): the whole article, replaced; the same contents change nothing',
  })
  @ApiOkResponse({ type: ArticleResponse })
  @ApiWriteProblems(
    { ifMatch: true },
    [404, 'an unknown article (ARTICLE.NOT_FOUND)'],
    [409, 'another language than the article’s (ARTICLE.LANGUAGE_CHANGED): a translation is another article'],
  )
  revise(@Param('id') id: string, @Body() body: ReviseArticleRequest, @CurrentWrite() w: WriteContext) {
    const articleId = articleIdOf(id);
    // @IsOptional lets null through: absent, like undefined
    if (body.id !== undefined && body.id !== null && articleIdOf(body.id) !== articleId)
      throw new InvalidCommand('id', `must be the article id of the path (${articleId}), or absent`);
    const article = { ...body, id: articleId };
    const command: ArticleCommand = { type: 'ReviseArticle', article, actor: toActor(w.principal) };
    return this.change(w, command, 200, w.expectedVersion);
  }

  /** One article write through the door; the answer is the revision written (or found), with its ETag. */
  private async change(
    w: WriteContext,
    command: ArticleCommand,
    created: 200 | 201,
    expectedVersion: number | undefined,
  ): Promise<WriteAnswer> {
    const result = await this.commands.execute(
      new ChangeArticle({
        command,
        actor: toActor(w.principal),
        correlationId: w.correlationId,
        expectedVersion,
        idempotency: w.idempotency,
      }),
    );
    const { article } = await this.queries.execute(
      new GetHelpArticle(result.article.id, w.principal, result.article.version),
    );
    const headers: Record<string, string> = { etag: toETag(result.version), location: helpArticleUrl(article.id) };
    // read your write in the search: GET /v1/help/articles?after=<x-log-position>
    if (result.position !== undefined) headers['x-log-position'] = String(result.position);
    const status = result.changed || result.replayed ? created : 200;
    return { status, body: article, headers, replayed: result.replayed };
  }
}
