import { AuthUser, CurrentUser } from '@app/accounts';
import { PhotoAccessService } from '@app/reports';
import { Controller, Get, HttpStatus, Param, ParseUUIDPipe, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { PhotoStorage } from '@app/storage';

@ApiTags('photos')
@Controller('photos')
export class PhotosController {
  constructor(
    private readonly access: PhotoAccessService,
    private readonly storage: PhotoStorage,
  ) {}

  @Get(':id')
  @ApiOperation({
    summary: 'A photo without metadata (review size; ?size=thumb; ?variant=original for coordinators)',
  })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query('size') size: string | undefined,
    @Query('variant') variant: string | undefined,
    @CurrentUser() user: AuthUser | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const photo = await this.access.resolve(id, user, { size, variant });
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('Cache-Control', photo.isPublic ? 'public, max-age=300' : 'private, max-age=3600');
    res.setHeader('Vary', 'Authorization');
    res.setHeader('ETag', photo.etag);
    if (req.headers['if-none-match']?.split(/\s*,\s*/).includes(photo.etag)) {
      res.status(HttpStatus.NOT_MODIFIED).end();
      return;
    }
    res.setHeader('Content-Type', photo.contentType);
    res.setHeader('Content-Length', String(photo.size));
    // The name is ours, never the client's; originals download rather than display.
    const extension = photo.contentType.split('/')[1];
    res.setHeader(
      'Content-Disposition',
      `${photo.variant === 'original' ? 'attachment' : 'inline'}; filename="${id}-${photo.variant}.${extension}"`,
    );
    await pipeline(this.storage.read(photo.path), res).catch((e: NodeJS.ErrnoException) => {
      // A viewer that leaves mid-download (a closed tab, a scrolled-past thumbnail) is no error.
      if (e.code === 'ERR_STREAM_PREMATURE_CLOSE' && res.destroyed) return;
      throw e;
    });
  }
}
