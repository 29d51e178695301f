import { ElectionEntity } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';

@Injectable()
export class ElectionsRepository {
  constructor(@InjectRepository(ElectionEntity) private readonly elections: Repository<ElectionEntity>) {}

  create(input: Omit<ElectionEntity, 'id' | 'createdAt'>): Promise<ElectionEntity> {
    return this.elections.save(this.elections.create(input));
  }

  findBySlug(slug: string): Promise<ElectionEntity | null> {
    return this.elections.findOneBy({ slug });
  }

  findById(id: string): Promise<ElectionEntity | null> {
    return this.elections.findOneBy({ id });
  }

  list(): Promise<ElectionEntity[]> {
    return this.elections.find({ order: { date: 'DESC', createdAt: 'DESC' } });
  }
}
