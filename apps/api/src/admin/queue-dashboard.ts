import { AuthService } from '@app/accounts';
import { roleAtLeast } from '@app/domain';
import { QueueName } from '@app/queue';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { getQueueToken } from '@nestjs/bullmq';
import { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import { NextFunction, Request, Response } from 'express';

export const DASHBOARD_PATH = '/api/admin/queues';
export const DASHBOARD_COOKIE = 'vc_admin';

/**
 * Bull Board for admins at /api/admin/queues. A browser navigation carries no bearer header,
 * so `POST /api/admin/session` sets an HttpOnly cookie holding the admin's token, scoped to
 * /api/admin; this middleware accepts either.
 */
export function mountQueueDashboard(app: INestApplication): void {
  const serverAdapter = new ExpressAdapter().setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: Object.values(QueueName).map(
      (name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name), { strict: false }), { readOnlyMode: false }),
    ),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Votecheck queues' } },
  });
  const auth = app.get(AuthService);
  app.use(DASHBOARD_PATH, (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization?.replace(/^Bearer /, '');
    const token = header || cookie(req, DASHBOARD_COOKIE);
    if (!token) {
      res.status(401).json({ statusCode: 401, error: 'Unauthorized', message: 'Log in as an admin first' });
      return;
    }
    auth.userFromToken(token).then(
      (user) =>
        roleAtLeast(user.role, 'admin')
          ? next()
          : res.status(403).json({ statusCode: 403, error: 'Forbidden', message: 'The queue dashboard is for admins' }),
      () => res.status(401).json({ statusCode: 401, error: 'Unauthorized', message: 'Log in again' }),
    );
  });
  app.use(DASHBOARD_PATH, serverAdapter.getRouter());
}

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}
