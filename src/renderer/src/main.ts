import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { connectHost, hostPlugin } from './host'
import { createAppRouter } from './router'
import './styles/base.css'

createApp(App).use(hostPlugin, connectHost()).use(createPinia()).use(createAppRouter()).mount('#app')
