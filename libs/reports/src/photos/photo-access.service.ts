import { AuthUser } from '@app/accounts';
import { roleAtLeast } from '@app/domain';
import { Derivative, PhotoStorage } from '@app/storage';
import {
  BadRequestException,
  ForbiddenException,
  Injectable,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { PhotosRepository } from './photos.repository';

export type PhotoVariant = Derivative | 'original';

export interface ServablePhoto {
  path: string;
  contentType: string;
  etag: string;
  size: number;
  isPublic: boolean;
  variant: PhotoVariant;
}

/**
 * Who may see which image of a photo: anyone when its report is on the public discrepancy list,
 * otherwise the report's observer and moderators and up; the original (with its metadata, kept
 * as evidence) only coordinators and up. Files are found by content hash, never by a name.
 */
@Injectable()
export class PhotoAccessService {
  constructor(
    private readonly photos: PhotosRepository,
    private readonly storage: PhotoStorage,
  ) {}

  async resolve(
    photoId: string,
    user: AuthUser | undefined,
    query: { size?: string; variant?: string },
  ): Promise<ServablePhoto> {
    const variant = variantOf(query);
    const photo = await this.photos.findToServe(photoId);
    if (!photo) throw new NotFoundException(`No photo ${photoId}`);
    if (variant === 'original') {
      if (!user) throw new UnauthorizedException('Log in first');
      if (!roleAtLeast(user.role, 'coordinator'))
        throw new ForbiddenException('Original photos are for coordinators and up');
    } else if (!photo.isPublic) {
      if (!user) throw new UnauthorizedException('Log in first');
      if (!roleAtLeast(user.role, 'moderator') && user.id !== photo.observerId)
        throw new NotFoundException(`No photo ${photoId}`);
    }
    const path =
      variant === 'original'
        ? this.storage.originalPath(photo.sha256)
        : this.storage.derivativePath(photo.sha256, variant);
    const size = await this.storage.size(path);
    if (size === undefined) {
      if (variant !== 'original' && photo.status === 'pending')
        throw new NotFoundException('The photo is still being processed');
      if (variant !== 'original' && photo.status === 'failed')
        throw new NotFoundException('The photo could not be processed');
      throw new NotFoundException(`The file of photo ${photoId} is missing`);
    }
    return {
      path,
      size,
      variant,
      isPublic: photo.isPublic,
      contentType: variant === 'original' ? photo.mime : 'image/webp',
      etag: `"${photo.sha256}-${variant}"`,
    };
  }
}

function variantOf(query: { size?: string; variant?: string }): PhotoVariant {
  if (query.variant !== undefined && query.variant !== 'original')
    throw new BadRequestException('variant must be "original"');
  if (query.size !== undefined && query.size !== 'thumb') throw new BadRequestException('size must be "thumb"');
  if (query.variant === 'original') return 'original';
  return query.size === 'thumb' ? 'thumb' : 'review';
}
