import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { RunningHub } from '../launcher/hub';
import { makeCreditCode } from '../subgraphs/enforcement/credit-code';
import { repoPath } from '../subgraphs/shared/repo-path';
import { announceGoingAway } from '../platform/drain';
import { describeWithBrowser, LaunchedBrowser, launchChromium } from './support/browser';
import { graphql, startTestHub, tokenFor } from './support/hub';

/**
 * The officer console (web/console) in Debian's Chromium against a whole hub: officers of four
 * cities at once, each in a browser context of their own, as the scenarios describe.
 * Every screen is saved to docs/screenshots/ (the README shows them).
 */

// The README's screenshots (docs/screenshots/) are rewritten with UPDATE_SCREENSHOTS=1; other runs
// save theirs in the run's own folder, so that a test run leaves the working tree as it was.
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? repoPath('docs', 'screenshots') : mkdtempSync(path.join(os.tmpdir(), 'yrd-hub-screenshots-'));
const SUZHOU_RESIDENT = '320500:7';

let hub: RunningHub;
let chromium: LaunchedBrowser;
let base: string;
const contexts: BrowserContext[] = [];

async function officerPage(): Promise<Page> {
  const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'zh-CN' });
  contexts.push(context);
  const page = await context.newPage();
  // What the page itself complains of, in the test's output when a step fails.
  page.on('pageerror', (error) => console.log(`page error: ${error.message}`));
  page.on('console', (message) => message.type() === 'error' && console.log(`console: ${message.text()}`));
  page.on(
    'response',
    async (response) =>
      response.status() >= 400 &&
      console.log(
        `HTTP ${response.status()} ${response.request().method()} ${response.url()} ${response.request().postData()} → ${await response.text().catch(() => '')}`,
      ),
  );
  return page;
}

/** Signs in by pasting a bearer token, as with a token from a province's provider. */
async function signInWithToken(page: Page, officerId: string): Promise<void> {
  await page.goto(`${base}/console/`);
  await page.getByTestId('token-input').fill(await tokenFor(hub.gateway.graphqlUrl, officerId));
  await page.getByRole('button', { name: '登录' }).last().click();
  await page.getByTestId('officer').waitFor();
}

/** The page as the officer sees it: the window, not a 500-row board's whole length. */
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `console-${name}.png`) });

const CATEGORIES = ['劳资纠纷欠薪', '征地拆迁补偿', '环境污染投诉', '物业管理纠纷', '医疗纠纷', '社保待遇', '房屋质量问题', '教育入学', '交通出行', '涉法涉诉'];
let registered = 0;
/** Key-person categories with the words the dossier shows for them. */
const TAG_CATEGORIES = [
  { code: 'LOW_INCOME', words: '低保对象' },
  { code: 'ELDERLY_LIVING_ALONE', words: '独居老人' },
  { code: 'PETITION_KEY_PERSON', words: '重点信访人员' },
];

/**
 * Registers a petition of a Suzhou resident in Jiaxing through the API, as a Jiaxing county
 * officer; returns its cross-region warning. Each is a matter of its own (another category):
 * CROSS_REGION is raised once per matter.
 */
async function registerCrossRegion(summary: string): Promise<{ petitionId: string; warningId: string }> {
  const category = CATEGORIES[registered++ % CATEGORIES.length];
  const officer = hub.identity.demoOfficer('demo-330400-petition-2');
  const result = await graphql(
    hub.gateway.graphqlUrl,
    `
      mutation ($input: RegisterPetitionInput!) {
        registerPetition(input: $input) {
          id
          warnings {
            id
            kind
          }
        }
      }
    `,
    {
      input: {
        region: '330400',
        registeredIn: officer.jurisdiction,
        channel: 'VISIT',
        category,
        summary,
        content: '某公司拖欠工资三个月',
        petitionerIds: [SUZHOU_RESIDENT],
      },
    },
    { 'X-Officer': officer.id },
  );
  expect(result.errors).toBeUndefined();
  const warning = result.data.registerPetition.warnings.find((w: { kind: string }) => w.kind === 'CROSS_REGION');
  return { petitionId: result.data.registerPetition.id, warningId: warning.id };
}

describeWithBrowser('the officer console in Chromium', () => {
  beforeAll(async () => {
    // npm test builds it; a lone run of this file builds it here when it is missing.
    if (!existsSync(repoPath('dist', 'web', 'console', 'index.html'))) {
      expect(spawnSync(process.execPath, [repoPath('bin', 'build-web.js')], { stdio: 'inherit' }).status).toBe(0);
    }
    mkdirSync(SCREENSHOTS, { recursive: true });
    hub = await startTestHub('t_console');
    base = hub.gateway.url;
    chromium = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await chromium?.close();
    await hub?.stop();
  });

  let warningId: string;
  let petitionId: string;
  let jiaxing: Page;

  test('everything the console loads comes from the hub itself', async () => {
    const page = await officerPage();
    const hosts = new Set<string>();
    page.on('request', (request) => hosts.add(new URL(request.url()).host));
    await page.goto(`${base}/console/`);
    await page.getByTestId('demo-officer').waitFor();
    await shot(page, 'sign-in');
    expect([...hosts]).toEqual([new URL(base).host]);
  });

  test('a Jiaxing petition officer signs in with the demo picker and sees a new cross-region warning arrive live', async () => {
    jiaxing = await officerPage();
    await jiaxing.goto(`${base}/console/`);
    await jiaxing.getByTestId('demo-officer').selectOption('demo-330400');
    await jiaxing.getByRole('button', { name: '登录' }).first().click();
    // Name, jurisdiction and roles from the roster, always in the header.
    const officer = jiaxing.getByTestId('officer');
    await officer.waitFor();
    await expect(officer.textContent()).resolves.toMatch(/330400.*信访工作人员/s);
    await jiaxing.getByTestId('warnings').waitFor();
    await jiaxing.locator('[data-testid="live-state"][data-state="connected"]').waitFor();

    // The first event also proves the subscription is in place (the gateway follows the feeds from it on).
    let first = await registerCrossRegion('预热');
    for (let attempt = 0; attempt < 10 && !(await jiaxing.locator(`[data-warning="${first.warningId}"]`).isVisible()); attempt++) {
      await jiaxing.waitForTimeout(1000);
      if (attempt % 3 === 2) first = await registerCrossRegion('预热');
    }
    await jiaxing.locator(`[data-warning="${first.warningId}"]`).waitFor({ timeout: 5_000 });

    ({ warningId, petitionId } = await registerCrossRegion('欠薪（浏览器测试）'));
    // The bound: on the board within 2 s of the registration.
    await jiaxing.locator(`[data-warning="${warningId}"]`).waitFor({ timeout: 2_000 });
    const rows = jiaxing.locator('[data-testid="warnings"] [data-warning]');
    expect(await rows.first().getAttribute('data-warning')).toBe(warningId); // newest first
    expect(await jiaxing.locator(`[data-warning="${warningId}"] .level`).count()).toBe(1);
    await shot(jiaxing, 'warnings-board');
  });

  test('a board that lost its connection catches up from its last event once it is back', async () => {
    // The gateway closes every live connection, as it does when it begins to drain ("going away").
    await announceGoingAway();
    await jiaxing.locator('[data-testid="live-state"]:not([data-state="connected"])').waitFor({ timeout: 15_000 });
    const missed = await registerCrossRegion('断线期间登记');
    await jiaxing.locator(`[data-warning="${missed.warningId}"]`).waitFor({ timeout: 30_000 });
    await jiaxing.locator('[data-testid="live-state"][data-state="connected"]').waitFor();
    // The board is live again: the next registration arrives as before.
    const after = await registerCrossRegion('重连之后');
    await jiaxing.locator(`[data-warning="${after.warningId}"]`).waitFor({ timeout: 10_000 });
    expect(await jiaxing.locator(`[data-warning="${missed.warningId}"]`).count()).toBe(1);
  });

  test("a Suzhou officer acknowledges it and Jiaxing's open detail shows the acknowledgement without reloading", async () => {
    await jiaxing.locator(`[data-warning="${warningId}"] a`).first().click();
    const detail = jiaxing.getByTestId('warning-detail');
    await detail.waitFor();
    expect(await detail.getAttribute('data-status')).toBe('OPEN');
    await jiaxing.waitForTimeout(500); // the detail's own subscription opens

    // Suzhou acknowledges from its own board: the row's actions open above the list.
    const suzhou = await officerPage();
    await signInWithToken(suzhou, '320500:1');
    await suzhou.locator(`[data-warning="${warningId}"] button`).click();
    const actions = suzhou.getByTestId('board-actions');
    await actions.getByTestId('action-note').fill('苏州已签收，协同稳控');
    await actions.getByRole('button', { name: '签收', exact: true }).click();
    await suzhou.locator(`[data-warning="${warningId}"][data-status="ACKNOWLEDGED"]`).waitFor({ timeout: 10_000 });
    await suzhou.goto(`${base}/console/#/warning/${encodeURIComponent(warningId)}`);
    await suzhou.locator('[data-testid="warning-detail"][data-status="ACKNOWLEDGED"]').waitFor();
    await shot(suzhou, 'warning-detail');

    // Jiaxing's page was not reloaded: the event brought the change.
    await jiaxing.locator('[data-testid="warning-detail"][data-status="ACKNOWLEDGED"]').waitFor({ timeout: 10_000 });
    const timeline = await jiaxing.getByTestId('warning-timeline').textContent();
    expect(timeline).toMatch(/签收/);
    expect(timeline).toMatch(/苏州已签收，协同稳控/);

    // Acknowledging twice is refused by the server, and the console shows its words.
    await suzhou.getByRole('button', { name: '签收', exact: true }).click();
    const refusal = await suzhou.getByTestId('refusal').textContent();
    expect(refusal).toMatch(/CONFLICT|INVALID_TRANSITION/);
  });

  test('the petition detail shows its deadline, history and the steps offered; a step refused shows the refusal', async () => {
    await jiaxing.goto(`${base}/console/#/petition/${encodeURIComponent(petitionId)}`);
    const detail = jiaxing.getByTestId('petition-detail');
    await detail.waitFor();
    expect(await jiaxing.getByTestId('petition-status').textContent()).toBe('已登记');
    expect(await jiaxing.getByTestId('deadline').textContent()).toMatch(/受理期限.*剩余 \d+ 天/);
    // The agency to assign it to is picked by its name, not typed as the API's code.
    expect(await jiaxing.locator('form[data-step="assign"] select[name="agency"] option:checked').textContent()).toBe('信访局');
    await jiaxing.locator('form[data-step="accept"] button').click();
    await jiaxing.locator('[data-testid="petition-detail"][data-status="ACCEPTED"]').waitFor();
    // Each step of its history by the name the step's button has.
    expect(await jiaxing.locator('[data-testid="petition-history"] strong').allTextContents()).toEqual(['登记', '受理']);
    await shot(jiaxing, 'petition-detail');
    // A Hefei officer may take no step here: the server says so.
    const hefei = await officerPage();
    await signInWithToken(hefei, '340100:1');
    await hefei.goto(`${base}/console/#/petition/${encodeURIComponent(petitionId)}`);
    // Hefei holds the warnings of Jiaxing, not the petitions' details: the outline, and the details withheld with the server's FORBIDDEN.
    await hefei.getByTestId('petition-detail').waitFor();
    expect(await hefei.getByTestId('petition-summary').textContent()).toBe('无权查看详情');
    await hefei.getByText(/项内容未向您开放/).click();
    expect(await hefei.getByTestId('refusal').textContent()).toMatch(/FORBIDDEN/);
    expect(await hefei.locator('form[data-step] button').count()).toBeGreaterThan(0);
    await hefei.locator('form[data-step="startHandling"] button').click();
    expect(await hefei.locator('form[data-step="startHandling"] [data-testid="refusal"]').textContent()).toMatch(/FORBIDDEN/);
    await shot(hefei, 'petition-no-details');
  });

  test('a Hefei officer sees the subject masked and no details', async () => {
    const hefei = await officerPage();
    await signInWithToken(hefei, '340100:1');
    await hefei.goto(`${base}/console/#/warning/${encodeURIComponent(warningId)}`);
    await hefei.getByTestId('warning-detail').waitFor();
    const subject = await hefei.getByTestId('subject').textContent();
    expect(subject).toMatch(/\*/);
    expect(subject).toMatch(/no sharing agreement opens the personal data/);
    await shot(hefei, 'warning-masked');
    await hefei.goto(`${base}/console/#/person/${encodeURIComponent(SUZHOU_RESIDENT)}`);
    await hefei.getByTestId('person-dossier').waitFor();
    expect(await hefei.getByTestId('person-dossier').getAttribute('data-access')).toBe('MASKED');
    expect(await hefei.getByTestId('person-id-number').textContent()).toMatch(/\*{4,}/);
  });

  test('a permitted officer states a purpose, sees the full ID number, and the read is in the audit trail under their name', async () => {
    // A change of the record goes into the trail too: a key-person category the resident does not hold yet.
    const asSuzhou = { 'X-Officer': '320500:1' };
    const held = await graphql(hub.gateway.graphqlUrl, 'query($id: ID!) { person(id: $id) { tags { category } } }', { id: SUZHOU_RESIDENT }, asSuzhou);
    expect(held.errors).toBeUndefined();
    const category = TAG_CATEGORIES.find((candidate) => !held.data.person.tags.some((tag: { category: string }) => tag.category === candidate.code))!;
    const tagged = await graphql(
      hub.gateway.graphqlUrl,
      'mutation($id: ID!, $category: KeyPersonCategory!) { tagPerson(id: $id, category: $category, note: "浏览器测试") { id } }',
      { id: SUZHOU_RESIDENT, category: category.code },
      asSuzhou,
    );
    expect(tagged.errors).toBeUndefined();
    const suzhou = await officerPage();
    await signInWithToken(suzhou, '320500:1');
    await suzhou.goto(`${base}/console/#/person/${encodeURIComponent(SUZHOU_RESIDENT)}`);
    await suzhou.getByTestId('person-dossier').waitFor();
    expect(await suzhou.getByTestId('person-dossier').getAttribute('data-access')).toBe('MASKED');
    expect(await suzhou.getByTestId('person-id-number').textContent()).toMatch(/\*/);
    await suzhou.getByTestId('reveal').click();
    // The dialog keeps the keyboard: Tab and Shift+Tab go round its own controls only.
    const inDialog = () => suzhou.evaluate(() => !!document.activeElement?.closest('[data-testid="purpose-dialog"]'));
    for (const key of ['Tab', 'Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
      await suzhou.keyboard.press(key);
      expect(await inDialog()).toBe(true);
    }
    await suzhou.getByTestId('purpose-input').fill('petition-handling');
    await shot(suzhou, 'purpose-dialog');
    await suzhou.getByRole('button', { name: '确认查看' }).click();
    await suzhou.locator('[data-testid="person-dossier"][data-access="FULL"]').waitFor();
    expect(await suzhou.getByTestId('person-id-number').textContent()).toMatch(/^\d{17}[\dX]$/);
    const read = suzhou.locator('[data-testid="audit-trail"] tr[data-purpose="petition-handling"]').first();
    await read.waitFor({ timeout: 10_000 });
    // The reader in words: the name and agency the roster gives 320500:1, not the id.
    const roster = await graphql(
      hub.gateway.graphqlUrl,
      'query($id: ID!) { officer(id: $id) { name agencyName } }',
      { id: '320500:1' },
      { 'X-Officer': '320500:1' },
    );
    expect(roster.errors).toBeUndefined();
    const reader = await read.locator('td').nth(1).textContent(); // the officer column
    expect(reader).toContain(roster.data.officer.name);
    expect(reader).toContain(roster.data.officer.agencyName);
    expect(reader).not.toContain('320500:1');
    // What was done, which fields, and why, in words: not READ, idNumber or petition-handling.
    const cells = async (row: Locator) => (await row.locator('td').allTextContents()).slice(2);
    expect(await cells(read)).toEqual([
      '查阅',
      expect.stringMatching(/^(姓名|身份证号|出生日期|电话|住址)(、(姓名|身份证号|出生日期|电话|住址))*$/),
      '信访办理',
    ]);
    const tagRow = suzhou.locator('[data-testid="audit-trail"] tbody tr', { hasText: '标记重点人员' });
    expect(await cells(tagRow)).toEqual(['标记重点人员', '—', '—']);
    expect(await suzhou.locator('[data-testid="person-dossier"] .chip', { hasText: category.words }).count()).toBe(1);
    await shot(suzhou, 'person-dossier');
    // And in English, a click away.
    await suzhou.getByTestId('language').click();
    await suzhou.getByRole('heading', { name: 'Audit trail' }).waitFor();
    expect((await cells(read))[0]).toBe('Read');
    expect((await cells(read))[2]).toBe('Petition handling');
    expect(await suzhou.locator('[data-testid="audit-trail"] tbody tr', { hasText: 'Tag as key person' }).count()).toBe(1);
    await suzhou.getByTestId('language').click();
  });

  test('a joint inspection runs through its five steps in the browser; a second one of the same target is refused with a link to it', async () => {
    const lead = await officerPage();
    await signInWithToken(lead, hub.identity.demoOfficer('demo-330400-market-1').id);
    const form = lead.getByRole('form', { name: '发起综合查一次' });
    const fill = (name: string, value: string) => form.locator(`input[name="${name}"]`).fill(value);
    const create = async (from: string, until: string, participant: boolean) => {
      await lead.goto(`${base}/console/#/inspections`);
      await lead.getByText('发起综合查一次').click();
      await form.locator('select[name="scenarioCode"] option').first().waitFor({ state: 'attached' });
      await form.locator('select[name="scenarioCode"]').selectOption('CATERING_FOOD_SAFETY');
      await fill('targetName', '嘉善某餐饮有限公司（浏览器测试）');
      await fill('creditCode', makeCreditCode('330421', 987_654));
      await fill('address', '嘉善县罗星街道');
      await fill('targetJurisdiction', '330421');
      await fill('leadJurisdiction', '330421');
      await fill('plannedAt', from);
      await fill('plannedUntil', until);
      if (participant) {
        await fill('participantRegion', '310000');
        await fill('participantJurisdiction', '310118');
        await form.locator('select[name="participantAgency"]').selectOption('MARKET_REGULATION');
        expect(await form.locator('select[name="participantAgency"] option:checked').textContent()).toBe('市场监督管理局');
      }
      await form.getByRole('button', { name: '发起（智能预警）' }).click();
    };

    // 1 智能预警
    await create('2027-03-01', '2027-03-08', true);
    await lead.locator('[data-testid="inspection-detail"][data-step="WARNING"]').waitFor();
    const inspectionUrl = lead.url();
    await shot(lead, 'inspection-created');

    // Enter the door once: the same target in an overlapping period is refused, with a link to the open inspection.
    await create('2027-03-02', '2027-03-05', false);
    const refusal = lead.getByTestId('refusal');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/DUPLICATE_INSPECTION/);
    await shot(lead, 'inspection-duplicate');
    await refusal.getByRole('link').click();
    await lead.locator('[data-testid="inspection-detail"][data-step="WARNING"]').waitFor();
    expect(lead.url()).toBe(inspectionUrl);

    // 2 计划生成, 3 任务派发, 4 执法检查
    const detail = lead.getByTestId('inspection-detail');
    for (const step of ['PLAN', 'DISPATCH', 'INSPECT']) {
      await lead.getByTestId('next-step').click();
      await lead.locator(`[data-testid="inspection-detail"][data-step="${step}"]`).waitFor();
    }
    // Evaluation before every task is complete: the server refuses, and says why.
    await lead.getByTestId('evaluation-comment').fill('过早');
    await lead.getByRole('button', { name: '评价反馈' }).click();
    expect(await lead.getByTestId('refusal').textContent()).toMatch(/INVALID_TRANSITION.*every task must be COMPLETED/s);
    await shot(lead, 'inspection-stepper');

    // The participant, in Shanghai, works the task in its own region.
    const taskHref = await detail.locator('[data-testid="participants"] tr:not([data-lead]) a').first().getAttribute('href');
    const shanghai = await officerPage();
    await signInWithToken(shanghai, hub.identity.demoOfficer('demo-310000-market-1').id);
    await shanghai.goto(`${base}/console/${taskHref}`);
    await shanghai.locator('[data-testid="task-detail"][data-status="PENDING"]').waitFor();
    await shanghai.getByRole('button', { name: '接收任务' }).click();
    await shanghai.locator('[data-testid="task-detail"][data-status="ACCEPTED"]').waitFor();
    await shanghai.getByTestId('finding-description').fill('后厨防鼠设施缺失，责令整改');
    await shanghai.getByRole('button', { name: '记录发现' }).click();
    await shanghai.getByTestId('findings').getByText('后厨防鼠设施缺失').waitFor();
    await shanghai.getByRole('button', { name: '完成任务' }).click();
    await shanghai.locator('[data-testid="task-detail"][data-status="COMPLETED"]').waitFor();
    await shot(shanghai, 'inspection-task');

    // The lead agency works its own part of the visit too (its task, in its own region).
    const leadTaskHref = await detail.locator('[data-testid="participants"] tr[data-lead] a').first().getAttribute('href');
    await lead.goto(`${base}/console/${leadTaskHref}`);
    await lead.locator('[data-testid="task-detail"][data-status="PENDING"]').waitFor();
    await lead.getByRole('button', { name: '接收任务' }).click();
    await lead.locator('[data-testid="task-detail"][data-status="ACCEPTED"]').waitFor();
    await lead.getByRole('button', { name: '完成任务' }).click();
    await lead.locator('[data-testid="task-detail"][data-status="COMPLETED"]').waitFor();
    await lead.goto(inspectionUrl);

    // 5 评价反馈, once the lead sees every task complete.
    await lead.reload();
    await lead.locator('[data-testid="participants"] tr:not([data-lead])[data-task-status="COMPLETED"]').waitFor({ timeout: 10_000 });
    expect(await lead.getByTestId('participants').textContent()).toMatch(/后厨防鼠设施缺失/);
    await lead.getByTestId('evaluation-comment').fill('一次进门，查清多项');
    await lead.getByRole('button', { name: '评价反馈' }).click();
    await lead.locator('[data-testid="inspection-detail"][data-step="EVALUATE"]').waitFor();
    await lead.getByTestId('evaluation').waitFor();
    expect(await lead.locator('.stepper li.done').count()).toBe(5);
    await shot(lead, 'inspection-evaluated');
  });

  test('the task portal groups the jurisdiction’s work with counts per county, and English is a click away', async () => {
    await jiaxing.goto(`${base}/console/#/tasks`);
    await jiaxing.getByTestId('county-counts').waitFor();
    for (const group of ['inProgress', 'lagging', 'warning', 'done']) await jiaxing.getByTestId(`group-${group}`).waitFor();
    expect(await jiaxing.getByTestId('group-inProgress').textContent()).toMatch(/进行中/);
    await shot(jiaxing, 'task-portal');
    await jiaxing.getByTestId('language').click();
    await jiaxing.getByRole('heading', { name: 'Tasks' }).waitFor();
    expect(await jiaxing.getByTestId('group-done').textContent()).toMatch(/Done/);
    await jiaxing.getByTestId('language').click();
  });
});
