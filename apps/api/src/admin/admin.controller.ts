import { Roles } from '@app/accounts';
import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { DASHBOARD_COOKIE } from './queue-dashboard';

@ApiTags('operations')
@ApiBearerAuth()
@Controller('admin')
export class AdminController {
  @Post('session')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sets the cookie that opens the queue dashboard at /api/admin/queues (admins)' })
  session(@Req() req: Request, @Res({ passthrough: true }) res: Response): void {
    const token = req.headers.authorization!.slice('Bearer '.length);
    res.cookie(DASHBOARD_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: '/api/admin',
      maxAge: 8 * 3600 * 1000,
    });
  }
}
