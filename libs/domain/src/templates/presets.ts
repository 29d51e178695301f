import { ProtocolTemplate } from './template.types';

const ballots = 'Число избирательных бюллетеней';

/**
 * The federal-list protocol of the 2021 State Duma election (Federal Law 20-FZ, appendix 5),
 * with the exact headers of the CEC results files, so that those files import with no mapping.
 */
const ruDuma2021Federal: ProtocolTemplate = {
  precinctColumns: { region: 'region', district: 'oik', territory: 'tik', number: 'uik' },
  lines: [
    { n: 1, key: 'voters', label: 'Число избирателей, внесенных в список избирателей на момент окончания голосования' },
    { n: 2, key: 'received', label: `${ballots}, полученных участковой избирательной комиссией` },
    { n: 3, key: 'issued_early', label: `${ballots}, выданных избирателям, проголосовавшим досрочно` },
    { n: 4, key: 'issued_inside', label: `${ballots}, выданных в помещении для голосования в день голосования` },
    { n: 5, key: 'issued_outside', label: `${ballots}, выданных вне помещения для голосования в день голосования` },
    { n: 6, key: 'cancelled', label: 'Число погашенных избирательных бюллетеней' },
    { n: 7, key: 'portable', label: `${ballots}, содержащихся в переносных ящиках для голосования` },
    { n: 8, key: 'stationary', label: `${ballots}, содержащихся в стационарных ящиках для голосования` },
    { n: 9, key: 'invalid', label: 'Число недействительных избирательных бюллетеней' },
    { n: 10, key: 'valid', label: 'Число действительных избирательных бюллетеней' },
    { n: 11, key: 'lost', label: 'Число утраченных избирательных бюллетеней' },
    { n: 12, key: 'not_counted', label: `${ballots}, не учтенных при получении` },
    {
      n: 13,
      key: 'kprf',
      label: '1. Политическая партия "КОММУНИСТИЧЕСКАЯ ПАРТИЯ РОССИЙСКОЙ ФЕДЕРАЦИИ"',
      candidate: true,
    },
    {
      n: 14,
      key: 'greens',
      label: '2. Политическая партия "Российская экологическая партия "ЗЕЛЁНЫЕ"',
      candidate: true,
    },
    {
      n: 15,
      key: 'ldpr',
      label: '3. Политическая партия ЛДПР – Либерально-демократическая партия России',
      candidate: true,
    },
    { n: 16, key: 'new_people', label: '4. Политическая партия "НОВЫЕ ЛЮДИ"', candidate: true },
    { n: 17, key: 'er', label: '5. Всероссийская политическая партия "ЕДИНАЯ РОССИЯ"', candidate: true },
    { n: 18, key: 'sr', label: '6. Партия СПРАВЕДЛИВАЯ РОССИЯ – ЗА ПРАВДУ', candidate: true },
    {
      n: 19,
      key: 'yabloko',
      label: '7. Политическая партия "Российская объединенная демократическая партия "ЯБЛОКО"',
      candidate: true,
    },
    { n: 20, key: 'growth', label: '8. Всероссийская политическая партия "ПАРТИЯ РОСТА"', candidate: true },
    { n: 21, key: 'rpss', label: '9. Политическая партия РОССИЙСКАЯ ПАРТИЯ СВОБОДЫ И СПРАВЕДЛИВОСТИ', candidate: true },
    { n: 22, key: 'kr', label: '10. Политическая партия КОММУНИСТИЧЕСКАЯ ПАРТИЯ КОММУНИСТЫ РОССИИ', candidate: true },
    { n: 23, key: 'civic_platform', label: '11. Политическая партия "Гражданская Платформа"', candidate: true },
    { n: 24, key: 'green_alternative', label: '12. Политическая партия ЗЕЛЕНАЯ АЛЬТЕРНАТИВА', candidate: true },
    { n: 25, key: 'rodina', label: '13. ВСЕРОССИЙСКАЯ ПОЛИТИЧЕСКАЯ ПАРТИЯ "РОДИНА"', candidate: true },
    { n: 26, key: 'pensioners', label: '14. ПАРТИЯ ПЕНСИОНЕРОВ', candidate: true },
  ].map((line) => ({ ...line, column: line.label })),
  ratios: [
    { id: 'issued_le_voters', expr: 'L1 >= L3 + L4 + L5', severity: 'error' },
    { id: 'received_balance', expr: 'L2 = L3 + L4 + L5 + L6 + L11 - L12', severity: 'error' },
    { id: 'boxes_eq_counted', expr: 'L7 + L8 = L9 + L10', severity: 'error' },
    {
      id: 'valid_eq_votes',
      expr: 'L10 = L13 + L14 + L15 + L16 + L17 + L18 + L19 + L20 + L21 + L22 + L23 + L24 + L25 + L26',
      severity: 'error',
    },
    { id: 'issued_ge_boxes', expr: 'L3 + L4 + L5 >= L7 + L8', severity: 'warning' },
    { id: 'outside_ge_portable', expr: 'L5 >= L7', severity: 'warning' },
  ],
  registered: 'L1',
  ballotsCast: 'L3 + L4 + L5',
  valid: 'L10',
  evotingRule: 'ru-2021',
};

export const TEMPLATE_PRESETS: Readonly<Record<string, ProtocolTemplate>> = {
  'ru-duma-2021-federal': ruDuma2021Federal,
};

export function templatePreset(name: string): ProtocolTemplate | undefined {
  const preset = TEMPLATE_PRESETS[name];
  return preset && structuredClone(preset);
}
