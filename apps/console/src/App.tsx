import { AlarmDetailPage } from './alarm/AlarmDetailPage';
import { useAuth } from './auth/useAuth';
import { useI18n } from './i18n/useI18n';
import { ConnectionLostBanner } from './layout/ConnectionLostBanner';
import { Header } from './layout/Header';
import { LoginPage } from './login/LoginPage';
import { AlarmQueueProvider } from './queue/AlarmQueueProvider';
import { NewAlarmAnnouncer } from './queue/NewAlarmAnnouncer';
import { QueuePage } from './queue/QueuePage';
import { ReportPage } from './report/ReportPage';
import { ResidentPage } from './resident/ResidentPage';
import { Link } from './router/Link';
import { matchRoute, usePath } from './router/router';
import { SoundProvider } from './sound/SoundProvider';
import { SupervisorPage } from './supervisor/SupervisorPage';
import { HandoverPage } from './handover/HandoverPage';
import { HistoryPage } from './history/HistoryPage';
import { ResidentTimelinePage } from './history/ResidentTimelinePage';
import { ActionPlansPage } from './plans/ActionPlansPage';
import { WallboardPage } from './wallboard/WallboardPage';
import { VisitPlannerPage } from './visits/VisitPlannerPage';

/** Signed out: the login page, whatever the URL. Signed in: the live queue runs under every page. */
export function App() {
  const { user } = useAuth();
  const path = usePath();
  if (!user) return <LoginPage />;
  return (
    <AlarmQueueProvider key={user.id}>
      <SoundProvider>
        <Header path={path} />
        <ConnectionLostBanner />
        <NewAlarmAnnouncer />
        <Page path={path} />
      </SoundProvider>
    </AlarmQueueProvider>
  );
}

function Page({ path }: { path: string }) {
  const { t } = useI18n();
  const route = matchRoute(path);
  switch (route.name) {
    case 'queue':
      return <QueuePage />;
    case 'alarm':
      return <AlarmDetailPage key={route.id} id={route.id} />;
    case 'supervisor':
      return <SupervisorPage />;
    case 'wallboard':
      return <WallboardPage />;
    case 'history':
      return <HistoryPage />;
    case 'residentTimeline':
      return <ResidentTimelinePage key={route.id} id={route.id} />;
    case 'handover':
      return <HandoverPage />;
    case 'plans':
      return <ActionPlansPage />;
    case 'visits':
      return <VisitPlannerPage />;
    case 'resident':
      return <ResidentPage key={route.id} id={route.id} />;
    case 'reports':
      return <ReportPage />;
    case 'notFound':
      return (
        <main className="page">
          <Link href="/">← {t('nav.back')}</Link>
        </main>
      );
  }
}
