import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { mountQueueDashboard } from './admin/queue-dashboard';
import { HttpExceptionFilter } from './http/http-exception.filter';
import { validationPipe } from './http/validation';
import { serveWebUi } from './http/web-ui';

/** Everything an API application needs besides its modules; shared by main.ts and the tests. */
export function configureApi(app: INestApplication, options: { webUi?: boolean } = {}): INestApplication {
  app.setGlobalPrefix('api');
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new HttpExceptionFilter());
  app.enableShutdownHooks();
  const express = app.getHttpAdapter().getInstance();
  express.disable('x-powered-by');
  // Helmet's protective headers on every answer (nosniff, frame and referrer policies, HSTS);
  // the web UI's pages get their Content-Security-Policy from serveWebUi, the API docs and the
  // queue dashboard (inline scripts of their own) none. Public photos may be shown elsewhere.
  express.use(helmet({ contentSecurityPolicy: false, crossOriginResourcePolicy: false }));
  express.set('trust proxy', process.env.TRUST_PROXY ?? 'loopback');
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Votecheck API')
      .setDescription('Observer reports, double-blind transcription and discrepancies against official results')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/json' });
  mountQueueDashboard(app);
  if (options.webUi !== false) serveWebUi(app);
  return app;
}
