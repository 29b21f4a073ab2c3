import { groupOf, petitionItem, taskItem } from '../web/console/src/task-groups';
import { apiFilter, EMPTY_FILTER } from '../web/console/src/warning-fields';

/** The console's task portal groups and the board's filter, as plain functions. */

const petition = (status: string, deadline: { daysLeft: number; overdue: boolean } | null) =>
  petitionItem({ id: '330400:1', status, category: '劳资纠纷', registeredIn: '330421', deadline });

test('the portal groups a matter by its status and the deadline it runs against', () => {
  expect(groupOf(petition('CLOSED', { daysLeft: -3, overdue: true }))).toBe('done');
  expect(groupOf(petition('NOT_ACCEPTED', null))).toBe('done');
  expect(groupOf(petition('HANDLING', { daysLeft: -1, overdue: true }))).toBe('warning');
  expect(groupOf(petition('HANDLING', { daysLeft: 3, overdue: false }))).toBe('warning');
  expect(groupOf(petition('HANDLING', { daysLeft: 7, overdue: false }))).toBe('lagging');
  expect(groupOf(petition('ACCEPTED', { daysLeft: 8, overdue: false }))).toBe('inProgress');
  expect(groupOf(petition('REPLIED', null))).toBe('inProgress');
  const now = Date.parse('2027-03-01T00:00:00Z');
  const task = (status: string, plannedUntil: string) => taskItem({ id: '310000:4', status, targetName: '某公司', jurisdiction: '310118', plannedUntil }, now);
  expect(groupOf(task('COMPLETED', '2027-02-01T00:00:00Z'))).toBe('done');
  expect(groupOf(task('ACCEPTED', '2027-02-28T00:00:00Z'))).toBe('warning');
  expect(groupOf(task('PENDING', '2027-03-06T00:00:00Z'))).toBe('lagging');
  expect(groupOf(task('PENDING', '2027-04-01T00:00:00Z'))).toBe('inProgress');
  expect(task('PENDING', '2027-03-06T00:00:00Z')).toMatchObject({ kind: 'task', county: '310118', daysLeft: 5, overdue: false });
});

test("the board's filter sends only what is set, dates as whole local days", () => {
  expect(apiFilter(EMPTY_FILTER)).toEqual({});
  const filter = apiFilter({
    ...EMPTY_FILTER,
    levels: ['RED'],
    kinds: ['CROSS_REGION'],
    raisedIn: ' 3304 ',
    subjectRegion: '320500',
    raisedFrom: '2027-03-01',
    raisedUntil: '2027-03-02',
  });
  expect(filter).toEqual({
    levels: ['RED'],
    kinds: ['CROSS_REGION'],
    raisedIn: '3304',
    subjectRegion: '320500',
    raisedFrom: new Date('2027-03-01T00:00:00').toISOString(),
    raisedUntil: new Date('2027-03-02T23:59:59.999').toISOString(),
  });
});
