import { AuthUser } from '@app/accounts';
import { ElectionEntity, isUniqueViolation } from '@app/database';
import { ProtocolTemplate, ProtocolTemplateModel, templatePreset, validateTemplate } from '@app/domain';
import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { CreateElectionDto, ElectionDto } from './elections.dto';
import { ElectionsRepository } from './elections.repository';

@Injectable()
export class ElectionsService {
  /** Parsed templates by election id; templates never change once an election exists. */
  private readonly models = new Map<string, ProtocolTemplateModel>();

  constructor(private readonly elections: ElectionsRepository) {}

  async create(dto: CreateElectionDto, creator: AuthUser): Promise<ElectionDto> {
    if (!!dto.templatePreset === !!dto.template) {
      throw new BadRequestException('Give exactly one of templatePreset and template');
    }
    const template: ProtocolTemplate = dto.templatePreset
      ? templatePreset(dto.templatePreset)!
      : (dto.template as ProtocolTemplate);
    const problems = validateTemplate(template);
    if (problems.length > 0) throw new BadRequestException(`The template is not valid: ${problems.join('; ')}`);
    try {
      const election = await this.elections.create({
        slug: dto.slug,
        name: dto.name,
        date: dto.date ?? null,
        templatePreset: dto.templatePreset ?? null,
        template,
        createdBy: creator.id,
      });
      return toElectionDto(election);
    } catch (e) {
      if (isUniqueViolation(e)) throw new ConflictException(`An election "${dto.slug}" exists already`);
      throw e;
    }
  }

  async list(): Promise<ElectionDto[]> {
    return (await this.elections.list()).map(toElectionDto);
  }

  async get(slug: string): Promise<ElectionDto> {
    return toElectionDto(await this.getEntity(slug));
  }

  async getEntity(slug: string): Promise<ElectionEntity> {
    const election = await this.elections.findBySlug(slug);
    if (!election) throw noSuchElection(slug);
    return election;
  }

  async getEntityById(id: string): Promise<ElectionEntity> {
    const election = await this.elections.findById(id);
    if (!election) throw new NotFoundException(`No election ${id}`);
    return election;
  }

  /** The election's checked template, parsed once per process. */
  templateOf(election: Pick<ElectionEntity, 'id' | 'template'>): ProtocolTemplateModel {
    let model = this.models.get(election.id);
    if (!model) {
      model = new ProtocolTemplateModel(election.template);
      this.models.set(election.id, model);
    }
    return model;
  }
}

export function toElectionDto(e: ElectionEntity): ElectionDto {
  return {
    id: e.id,
    slug: e.slug,
    name: e.name,
    date: e.date,
    templatePreset: e.templatePreset,
    template: e.template,
    createdAt: e.createdAt,
  };
}

/** The 404 for a slug no election has; a slug of any length is quoted at most 100 characters long. */
export function noSuchElection(slug: string): NotFoundException {
  const shown = slug.length > 100 ? `${slug.slice(0, 100)}…` : slug;
  return new NotFoundException(`No election "${shown}"`);
}
