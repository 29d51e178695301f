import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { Layout } from './components/Layout';
import { RequireRole } from './components/RequireRole';
import { useT } from './i18n';
import { AdminHome } from './pages/coordinator/AdminHome';
import { ElectionsPage } from './pages/coordinator/ElectionsPage';
import { ImportChangesPage } from './pages/coordinator/ImportChangesPage';
import { ImportsPage } from './pages/coordinator/ImportsPage';
import { InvitesPage } from './pages/coordinator/InvitesPage';
import { StatsPage } from './pages/coordinator/StatsPage';
import { Home } from './pages/Home';
import { LoginPage } from './pages/auth/LoginPage';
import { RegisterPage } from './pages/auth/RegisterPage';
import { ReviewPage } from './pages/moderator/ReviewPage';
import { MyReportsPage } from './pages/observer/MyReportsPage';
import { NewReportPage } from './pages/observer/NewReportPage';
import { DiscrepanciesPage } from './pages/public/DiscrepanciesPage';
import { EvotingPage } from './pages/public/EvotingPage';
import { ForensicsPage } from './pages/public/ForensicsPage';
import { PrecinctPage } from './pages/public/PrecinctPage';
import { match, useLocation } from './router';
import type { Role } from './types';

type Params = Record<string, string>;
interface Route {
  path: string;
  role?: Role;
  render: (p: Params) => ComponentChildren;
}

const ROUTES: Route[] = [
  { path: '/', render: () => <Home /> },
  { path: '/login', render: () => <LoginPage /> },
  { path: '/register', render: () => <RegisterPage /> },
  { path: '/report', role: 'observer', render: () => <NewReportPage /> },
  { path: '/reports', role: 'observer', render: () => <MyReportsPage /> },
  { path: '/review', role: 'moderator', render: () => <ReviewPage /> },
  { path: '/arbitrate', role: 'coordinator', render: () => <ReviewPage arbitration /> },
  { path: '/admin', role: 'coordinator', render: () => <AdminHome /> },
  { path: '/admin/elections', role: 'coordinator', render: () => <ElectionsPage /> },
  { path: '/admin/invites', role: 'coordinator', render: () => <InvitesPage /> },
  { path: '/admin/imports', role: 'coordinator', render: () => <ImportsPage /> },
  { path: '/admin/imports/:id/changes', role: 'coordinator', render: (p) => <ImportChangesPage id={p.id} /> },
  { path: '/admin/stats', role: 'coordinator', render: () => <StatsPage /> },
  { path: '/results', render: () => <DiscrepanciesPage /> },
  { path: '/results/:slug', render: (p) => <DiscrepanciesPage slug={p.slug} /> },
  { path: '/results/:slug/precincts/:id', render: (p) => <PrecinctPage slug={p.slug} id={p.id} /> },
  { path: '/results/:slug/evoting', render: (p) => <EvotingPage slug={p.slug} /> },
  { path: '/results/:slug/forensics', render: (p) => <ForensicsPage slug={p.slug} /> },
];

export function App() {
  const t = useT();
  const { path } = useLocation();
  let page: ComponentChildren = <p>{t('common.notFound')}</p>;
  for (const route of ROUTES) {
    const params = match(route.path, path);
    if (!params) continue;
    page = route.role ? <RequireRole role={route.role}>{route.render(params)}</RequireRole> : route.render(params);
    break;
  }
  // Move focus to the new page so keyboard and screen-reader users start at its top, unless the
  // page has already put it somewhere useful (the moderator's "Next task" button, a form field).
  useEffect(() => {
    const main = document.getElementById('main');
    if (main && !main.contains(document.activeElement)) main.focus({ preventScroll: true });
  }, [path]);
  return <Layout>{page}</Layout>;
}
