import { createRouter, createWebHashHistory, type RouteLocationNormalized, type RouterHistory } from 'vue-router'
import AboutView from './views/AboutView.vue'
import BundleImportView from './views/BundleImportView.vue'
import EvaluationView from './views/EvaluationView.vue'
import ExportView from './views/ExportView.vue'
import HistoryView from './views/HistoryView.vue'
import ImportView from './views/ImportView.vue'
import ProblemDetailView from './views/ProblemDetailView.vue'
import ProblemEditView from './views/ProblemEditView.vue'
import ProblemListView from './views/ProblemListView.vue'
import ReplayView from './views/ReplayView.vue'
import SessionCreateView from './views/SessionCreateView.vue'
import SessionDetailView from './views/SessionDetailView.vue'
import SessionListView from './views/SessionListView.vue'
import SessionLiveView from './views/SessionLiveView.vue'
import SettingsView from './views/SettingsView.vue'

const idProp = (route: RouteLocationNormalized): { id: number } => ({ id: Number(route.params.id) })

/** Hash history: works under Electron's `app://` protocol and the bridge without server routes. */
export function createAppRouter(history: RouterHistory = createWebHashHistory()) {
  return createRouter({
    history,
    routes: [
      { path: '/', redirect: '/problems' },
      { path: '/problems', name: 'problems', component: ProblemListView },
      { path: '/problems/new', name: 'problem-new', component: ProblemEditView },
      { path: '/problems/import', name: 'import', component: ImportView },
      { path: '/problems/export', name: 'export', component: ExportView },
      { path: '/problems/:id(\\d+)', name: 'problem', component: ProblemDetailView, props: idProp },
      { path: '/problems/:id(\\d+)/edit', name: 'problem-edit', component: ProblemEditView, props: idProp },
      { path: '/sessions', name: 'sessions', component: SessionListView },
      { path: '/sessions/new', name: 'session-new', component: SessionCreateView },
      { path: '/sessions/:id', name: 'session', component: SessionLiveView, props: true },
      { path: '/sessions/:id/evaluate', name: 'session-evaluate', component: EvaluationView, props: true },
      { path: '/sessions/:id/review', name: 'session-review', component: SessionDetailView, props: true },
      { path: '/sessions/:id/replay', name: 'session-replay', component: ReplayView, props: true },
      { path: '/history', name: 'history', component: HistoryView },
      { path: '/history/import', name: 'bundle-import', component: BundleImportView },
      { path: '/settings', name: 'settings', component: SettingsView },
      { path: '/about', name: 'about', component: AboutView },
      { path: '/:unknown(.*)*', redirect: '/problems' },
    ],
  })
}
